// Package delivery sends prepared webhook requests the way a provider does
// and reports what happened. 'hookctl trigger' and 'hookctl replay' both
// send through it, so they share the transport, the error explanations, the
// retry loop, the printed results and the exit-code decision.
//
// The pieces, in the order a command uses them:
//
//	u, err := delivery.ParseTarget(to)      // "localhost:5000", ":5000", "host:port/path", http(s) URL; err is a usage error
//	s := delivery.NewSender(delivery.Config{ // one per command run
//		Client:  delivery.NewClient(delivery.ClientOptions{Insecure: insecure}),
//		Rules:   delivery.ProviderRules(p, 0), // success rule and answer timeout (UseProvider changes them)
//		Printer: delivery.NewPrinter(io.Out, delivery.PrintOptions{JSON: asJSON, Verbose: v, Styles: st}),
//		Countdown: io.ErrOut,               // only when IO.Interactive(); nil draws nothing
//	})
//	ok := s.Deliver(ctx, delivery.Once(&delivery.Request{ // one prepared request, sent as is
//		Method: "POST", URL: u.String(), Header: h, Body: body, // the exact bytes sent
//		Event: "message.created", EventID: "a056V7R7NmNRjl70", // for display only
//	}))
//	s.Finish()                                // prints the summary (text, or a JSON line)
//	if !s.Summary.OK() { return cmdutil.ErrSilentFailure } // exit 1; results are already printed
//
// Builder makes a provider's signed request from a body (Content-Type,
// User-Agent, the provider's headers, every signature header over the exact
// bytes, -H last); re-signing a captured body goes through it too.
//
// A Plan with a Schedule retries: Prepare(attempt) builds each attempt's
// request (fresh timestamp and signature, same event id), the waits are
// multiplied by Scale, each attempt is printed as it completes, and
// AfterLast is printed when every attempt failed. Deliver stops early,
// marking the summary interrupted, when ctx is cancelled (Ctrl-C).
//
// Sender.Load(ctx, LoadOptions) sends many requests with a pool of
// workers, each over its own keep-alive connection, and returns a
// LoadSummary (counts, failures by status or error, requests per second,
// latency percentiles), printed with Printer.Load.
//
// Output: Printer writes results only to its writer (stdout). Text is one
// line per attempt plus the first lines of the response body (all of it and
// the response headers with Verbose); JSON is one object per line ("type":
// "attempt", "summary", "load", or a caller's own with Printer.JSONLine).
// Styles are plain functions so this package never imports the ui package.
//
// Errors of an attempt never abort the run: they become Result.Err, one
// line saying what happened and what to do (nothing listening, DNS, TLS,
// timeout, redirect not followed).
package delivery
