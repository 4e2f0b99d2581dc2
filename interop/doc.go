// Package interop checks hookctl against the providers' own libraries.
// Its Go tests render and sign every built-in event of Stripe, GitHub,
// Slack, Twilio, Standard Webhooks, Svix and Paddle as 'hookctl trigger'
// does, then have stripe-go, go-github, slack-go, twilio-go, svix,
// standard-webhooks and paddle-go-sdk parse and verify it; Discord's and
// Standard Webhooks' v1a Ed25519 signatures are checked both ways with
// crypto/ed25519. TestNpmLibraries builds hookctl and runs interop/npm's
// node tests, which do the same, both ways, with the providers' npm
// libraries. It is a module of its own so that hookctl's module keeps only
// the dependencies it ships with.
package interop
