// Package interop checks hookctl's samples against the providers' own Go
// libraries: every built-in event of Stripe, GitHub, Slack, Twilio,
// Standard Webhooks and Svix is rendered and signed as 'hookctl trigger'
// does, then parsed and verified by stripe-go, go-github, slack-go,
// twilio-go, svix and standard-webhooks. It is a module of its own so that
// hookctl's module keeps only the dependencies it ships with.
package interop
