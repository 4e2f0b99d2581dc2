package present

import (
	"encoding/json"
	"fmt"

	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/signer"
)

// Signature prints what 'hookctl sign' made for provider: the signature
// headers, 'Name: value' a line (what curl -H @file reads), or as one JSON
// object; a scheme that signs inside the body (Mailgun) prints the signed
// body. Notes on stderr say when the URL signed is not the one given (url)
// and when the result is a body.
func Signature(ios *iostreams.IOStreams, provider, url string, out *signer.SignOutput, asJSON bool) error {
	if out.URL != url {
		fmt.Fprintf(ios.ErrOut, "note: %s binds a JSON body through the URL (its bodySHA256 parameter), so the signature is for %s: send the request there, and verify with --url set to it\n", provider, out.URL)
	}
	if out.Body != nil {
		// The scheme signs inside the body (Mailgun): the result is the body.
		fmt.Fprintf(ios.ErrOut, "note: %s puts its signature in the body; the signed body follows\n", provider)
		if asJSON {
			return json.NewEncoder(ios.Out).Encode(map[string]string{"body": string(out.Body)})
		}
		_, err := ios.Out.Write(append(out.Body, '\n'))
		return err
	}
	if asJSON {
		obj := make(map[string]string, len(out.Headers))
		for _, h := range out.Headers {
			obj[h.Name] = h.Value
		}
		return JSONLine(ios.Out, obj)
	}
	for _, h := range out.Headers {
		fmt.Fprintf(ios.Out, "%s: %s\n", h.Name, h.Value)
	}
	return nil
}
