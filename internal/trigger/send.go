package trigger

import (
	"context"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/delivery"
)

// Send delivers the jobs one after another, each with the provider's
// retries when asked, and returns the run's summary (also reported as a
// delivery.Finished event). The error is a body that could not be made or
// signed; the events before it were sent and the rest are counted skipped.
// A cancelled ctx stops the run, marking the summary interrupted.
func (p *Plan) Send(ctx context.Context, o Options) (*delivery.Summary, error) {
	s := o.sender()
	defer s.Finish()
	for i, j := range p.Jobs {
		if ctx.Err() != nil {
			s.Skip(len(p.Jobs) - i)
			break
		}
		s.UseProvider(j.Provider, o.Timeout)
		if err := p.deliver(ctx, s, j, o); err != nil {
			s.Skip(len(p.Jobs) - i - 1)
			return &s.Summary, err
		}
	}
	return &s.Summary, nil
}

// deliveryPlan is one event's delivery: the first render is reused for
// every attempt (same id and body), re-signed each time; where the
// provider counts attempts in the body (catalog's ForAttempt) the count
// goes up.
func (p *Plan) deliveryPlan(j *Job, o Options) delivery.Plan {
	d := j.Provider.Delivery
	plan := delivery.Plan{Provider: j.Provider.Name, Default: d.DefaultSchedule, AfterLast: d.AfterLast, Scale: o.RetryScale}
	var last catalog.Outcome // the previous attempt's failure, for the provider's retry headers
	if o.Retry {
		plan.Schedule = d.Schedule
		plan.Stop = func(res *delivery.Result) string {
			last = catalog.Outcome{Status: res.Status, Header: res.RespHeader, Kind: res.Kind}
			if why := d.NoRetry(last); why != "" {
				return j.Provider.Name + " makes none: " + why
			}
			return ""
		}
	}
	var first *rendered
	msgID := p.ids.Make(j.Provider.Scheme.IDKind)
	plan.Prepare = func(attempt int) (*delivery.Request, error) {
		if first == nil {
			var err error
			if first, err = j.render.next(); err != nil {
				return nil, err
			}
		}
		body, err := j.Provider.ForAttempt(first.Body, attempt)
		if err != nil {
			return nil, err
		}
		req, err := j.build.Build(body, first.ContentType, first.Headers, msgID, p.now(), first.Event, first.EventID)
		if err == nil {
			for _, h := range d.RetryHeaders(attempt, last) {
				req.Header.Set(h.Name, h.Value)
			}
		}
		return req, err
	}
	return plan
}

// Load sends count fresh renders, cycling through the jobs, with
// o.Concurrency workers, and returns what it measured. Each request is
// judged by its own provider's rule and timeout when the jobs are of
// several providers. The error is a body that could not be made or signed.
func (p *Plan) Load(ctx context.Context, count int, o Options) (*delivery.LoadSummary, error) {
	s := o.sender()
	jobs := p.Jobs
	s.UseProvider(jobs[0].Provider, o.Timeout)
	rules := make([]*delivery.Rules, len(jobs))
	for i, j := range jobs {
		if j.Provider != jobs[0].Provider {
			ru := delivery.ProviderRules(j.Provider, o.Timeout)
			rules[i] = &ru
		}
	}
	return s.Load(ctx, delivery.LoadOptions{
		Count: count, Concurrency: o.Concurrency, URL: p.target.String(),
		Build: func(i int) (*delivery.Request, error) {
			j := jobs[i%len(jobs)]
			r, err := j.render.next()
			if err != nil {
				return nil, err
			}
			req, err := j.build.Build(r.Body, r.ContentType, r.Headers, p.ids.Make(j.Provider.Scheme.IDKind), p.now(), r.Event, r.EventID)
			if req != nil {
				req.Rules = rules[i%len(jobs)]
			}
			return req, err
		},
	})
}

// Requests builds the first attempt of every job, signed, without sending
// anything (trigger --dry-run): the requests Send would send first.
func (p *Plan) Requests(o Options) ([]*delivery.Request, error) {
	out := make([]*delivery.Request, 0, len(p.Jobs))
	for _, j := range p.Jobs {
		r, err := p.deliveryPlan(j, o).Prepare(1)
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}
