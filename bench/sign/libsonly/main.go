// libsonly links the libraries the product requires (cobra, viper,
// lipgloss, fatih/color) plus net/http and crypto/tls, uses one thing from
// each so it stays linked, and exits: the floor for any CLI built on them.
package main

import (
	"crypto/tls"
	"net/http"
	"os"

	"github.com/charmbracelet/lipgloss"
	"github.com/fatih/color"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"
)

func main() {
	if len(os.Args) > 5 {
		c := &cobra.Command{Use: "x"}
		v := viper.New()
		v.SetConfigFile(os.Args[1])
		_ = v.ReadInConfig()
		s := lipgloss.NewStyle().Bold(true).Render("x")
		color.New(color.FgRed).Println(s, c.Name())
		_, _ = http.Get(os.Args[2])
		_ = tls.Client(nil, &tls.Config{})
	}
}
