package cmdutil

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// TopicAnnotation marks a help topic: no command, no config section.
const TopicAnnotation = "hookctl:topic"

// HelpTopic is a help-only entry: 'hookctl help NAME' prints its text.
func HelpTopic(name, short, long string) *cobra.Command {
	return &cobra.Command{Use: name, Short: short, Long: long, Annotations: map[string]string{TopicAnnotation: "true"}}
}

// NewHelpCmd is 'hookctl help [TOPIC]': an unknown topic is a usage error
// (exit 2) that names it.
func NewHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command | topic]",
		Short: "Help about any command or topic",
		Long:  "Print the help of a command (hookctl help listen) or a topic (hookctl help secrets).",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			var out []cobra.Completion
			for _, sub := range c.Root().Commands() {
				if !sub.Hidden && strings.HasPrefix(sub.Name(), toComplete) {
					out = append(out, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := c.Root().Find(args)
			if err == nil && target != nil && (len(args) == 0 || (target.HasParent() && len(rest) == 0)) {
				return target.Help()
			}
			return unknown(c.Root(), "help topic", args, "run 'hookctl help' for the commands and topics", "(run 'hookctl help')")
		},
	}
}

// PadHelpTopics lists the root's help topics like its commands: the name
// alone, padded to the same column, instead of cobra's full command path.
func PadHelpTopics(root *cobra.Command) {
	usage := root.UsageFunc() // cobra's own, before ours replaces it
	root.SetUsageFunc(func(c *cobra.Command) error {
		if c != root {
			return usage(c)
		}
		var buf bytes.Buffer
		out := c.OutOrStderr()
		c.SetOut(&buf)
		err := usage(c)
		c.SetOut(out)
		text := buf.String()
		const heading = "\nAdditional help topics:"
		head, tail, ok := strings.Cut(text, heading)
		if !ok {
			_, werr := fmt.Fprint(out, text)
			return firstErr(err, werr)
		}
		_, footer, _ := strings.Cut(tail, "\n\n")
		var b strings.Builder
		b.WriteString(head + heading)
		for _, sub := range c.Commands() {
			if sub.IsAdditionalHelpTopicCommand() {
				fmt.Fprintf(&b, "\n  %-*s %s", sub.NamePadding(), sub.Name(), sub.Short)
			}
		}
		if footer != "" {
			b.WriteString("\n\n" + footer)
		} else {
			b.WriteString("\n")
		}
		_, werr := fmt.Fprint(out, b.String())
		return firstErr(err, werr)
	})
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// UnknownCommand is the root's answer to a name that is no command: a
// usage error with cobra's nearest suggestion, as for help topics.
func UnknownCommand(root *cobra.Command, name string) error {
	return unknown(root, "command", []string{name}, "run 'hookctl --help'", "(run 'hookctl --help')")
}

// unknown words an unknown name of a kind ("command", "help topic"), the
// words args: with cobra's suggestion for the first (then hint) when it
// has one, else with run.
func unknown(root *cobra.Command, kind string, args []string, run, hint string) error {
	name := strings.Join(args, " ")
	if s := root.SuggestionsFor(args[0]); len(s) > 0 {
		return Usagef("unknown %s %q: did you mean %q? %s", kind, name, s[0], hint)
	}
	return Usagef("unknown %s %q: %s", kind, name, run)
}
