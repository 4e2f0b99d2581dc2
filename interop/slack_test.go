package interop

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

const slackSecret = "8f742231b10e8888abcd99yyyzzz85a5"

// TestSlackParse: slack-go's SecretsVerifier accepts every sample; Events
// API bodies parse with slackevents.ParseEvent into their typed inner event,
// the slash command with SlashCommandParse, and block_actions' payload into
// an InteractionCallback.
func TestSlackParse(t *testing.T) {
	for _, s := range samples(t, "slack", slackSecret) {
		sv, err := slack.NewSecretsVerifier(s.header, slackSecret)
		if err != nil {
			t.Errorf("%s: NewSecretsVerifier: %v", s.event, err)
			continue
		}
		_, _ = sv.Write(s.body)
		if err := sv.Ensure(); err != nil {
			t.Errorf("%s: signature: %v", s.event, err)
		}
		switch s.event {
		case "slash_command":
			cmd, err := slack.SlashCommandParse(s.request(t))
			if err != nil || !strings.HasPrefix(cmd.Command, "/") || cmd.TeamID == "" || cmd.ResponseURL == "" || cmd.TriggerID == "" {
				t.Errorf("%s: SlashCommandParse: %+v, %v", s.event, cmd, err)
			}
		case "block_actions":
			var cb slack.InteractionCallback
			if err := json.Unmarshal([]byte(s.form(t)["payload"]), &cb); err != nil {
				t.Errorf("%s: payload: %v", s.event, err)
			} else if cb.Type != slack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) == 0 || cb.TriggerID == "" {
				t.Errorf("%s: parsed %q with %d block actions", s.event, cb.Type, len(cb.ActionCallback.BlockActions))
			}
		default:
			slackEvent(t, s)
		}
	}
}

func slackEvent(t *testing.T, s sample) {
	t.Helper()
	e, err := slackevents.ParseEvent(json.RawMessage(s.body), slackevents.OptionNoVerifyToken())
	if err != nil {
		t.Errorf("%s: ParseEvent: %v", s.event, err)
		return
	}
	if s.event == "url_verification" {
		v, ok := e.Data.(*slackevents.EventsAPIURLVerificationEvent)
		if e.Type != slackevents.URLVerification || !ok || v.Challenge == "" {
			t.Errorf("%s: parsed %q %T", s.event, e.Type, e.Data)
		}
		return
	}
	inner := e.InnerEvent
	base, _, _ := strings.Cut(s.event, ".")
	if e.Type != slackevents.CallbackEvent || inner.Type != base {
		t.Errorf("%s: parsed outer %q, inner %q", s.event, e.Type, inner.Type)
	}
	switch d := inner.Data.(type) {
	case *slackevents.AppMentionEvent:
		ok(t, s.event, d.User != "" && d.Text != "" && d.Channel != "")
	case *slackevents.MessageEvent:
		ok(t, s.event, d.ChannelType == "channel" && d.Text != "" && d.ClientMsgID != "")
	case *slackevents.ReactionAddedEvent:
		ok(t, s.event, d.Reaction != "" && d.Item.Channel != "")
	case *slackevents.TeamJoinEvent:
		ok(t, s.event, d.User != nil && d.User.ID != "" && d.User.Profile.Email != "")
	case *slackevents.AppHomeOpenedEvent:
		ok(t, s.event, d.Tab == "home" && d.Channel != "")
	default:
		t.Errorf("%s: inner event parsed as %T", s.event, inner.Data)
	}
}

func ok(t *testing.T, event string, cond bool) {
	t.Helper()
	if !cond {
		t.Errorf("%s: the parsed event lacks fields its handlers read", event)
	}
}
