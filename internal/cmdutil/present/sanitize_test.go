package present

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/delivery"
)

// What a server sends (status text, body; net/http itself refuses control
// characters in header lines) is printed without its escape sequences: a
// server cannot set the terminal's title or colours.
func TestServerTextIsPrintedSafely(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				if _, err := http.ReadRequest(bufio.NewReader(c)); err != nil {
					return
				}
				body := "ok \x1b]0;pwned\x07 \x1b[31mred\n"
				c.Write([]byte("HTTP/1.1 200 OK \x1b[2J\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\nConnection: close\r\n\r\n" + body))
			}()
		}
	}()
	var out bytes.Buffer
	p := NewDelivery(testStreams(&out, nil), nil, Options{Verbose: true})
	s := delivery.NewSender(delivery.Config{Observe: p.Observe, KeepBody: p.KeepBody()})
	s.Deliver(context.Background(), delivery.Plan{Prepare: func(int) (*delivery.Request, error) {
		return &delivery.Request{URL: "http://" + ln.Addr().String() + "/", Event: "e"}, nil
	}})
	s.Finish()
	text := out.String()
	if strings.ContainsAny(text, "\x1b\x07") {
		t.Errorf("escape sequences reached the output:\n%q", text)
	}
	for _, want := range []string{`\x1b[2J`, `ok \x1b]0;pwned\x07 \x1b[31mred`} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%q", want, text)
		}
	}
}
