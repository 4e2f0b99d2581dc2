// Package delivery sends prepared webhook requests the way a provider does
// and reports what happened. It is the lower package that internal/trigger
// and the replay engine both send through, so they share the transport,
// the error explanations, the retry loop and load mode. It prints nothing:
// a Sender reports typed events, and commands print them through their
// presenter (internal/cmdutil/present).
//
// The pieces, in the order a caller uses them:
//
//	u, err := delivery.ParseTarget(to)       // "localhost:5000", ":5000", "host:port/path", http(s) URL; ErrNoTarget or *TargetError
//	pr := present.NewDelivery(ios, nil, present.Options{JSON: asJSON}) // in a command
//	s := delivery.NewSender(delivery.Config{ // one per run
//		Client:    delivery.NewClient(delivery.ClientOptions{Insecure: insecure}),
//		Rules:     delivery.ProviderRules(p, 0), // success rule and answer timeout (UseProvider changes them)
//		Observe:   pr.Observe,                   // every Event; nil ignores them
//		Countdown: pr.Countdown(),               // report retry waits in steps (Waiting events)
//	})
//	ok, err := s.Deliver(ctx, delivery.Once(&delivery.Request{ // one prepared request, sent as is
//		Method: "POST", URL: u.String(), Header: h, Body: body, // the exact bytes sent
//		Event: "message.created", EventID: "a056V7R7NmNRjl70", // for display only
//	}))
//	s.Finish()                               // reports Finished with the summary
//	if !s.Summary.OK() { ... }               // a command exits 1 (cmdutil.SilentUnless)
//
// Builder makes a provider's signed request from a body (Content-Type,
// User-Agent, the provider's headers, every signature header over the exact
// bytes, -H last); re-signing a captured body goes through it too.
//
// A Plan with a Schedule retries: Prepare(attempt) builds each attempt's
// request (fresh timestamp and signature, same event id), the waits are
// multiplied by Scale, and the events say what happens: AttemptStarted and
// AttemptDone for each attempt, RetryPlanned and Waiting/WaitOver between
// them, NoRetry when Plan.Stop says the provider makes no retry after a
// failure, GaveUp when every attempt failed, Interrupted when ctx is cancelled
// (Ctrl-C) during a wait. Deliver stops early, marking the summary
// interrupted, when ctx is cancelled.
//
// Sender.Load(ctx, LoadOptions) sends many requests with a pool of
// workers, each over its own keep-alive connection, reporting LoadStarted
// (with a Done counter for a progress bar) and LoadStopped, and returns a
// LoadSummary (counts, failures by status or error, requests per second,
// latency percentiles).
//
// Errors of an attempt never abort the run: they become Result.Err, one
// line saying what happened and what to do (nothing listening, DNS, TLS,
// timeout, redirect not followed).
package delivery
