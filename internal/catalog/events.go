package catalog

// StripeAPIVersion is the api_version of Stripe's sample events: the one the
// newest stripe-go (v85.0.0, stripe.APIVersion) expects, so that its
// webhook.ConstructEvent accepts them without options. The config file's
// providers.stripe.api_version changes it.
const StripeAPIVersion = "2026-03-25.dahlia"

// ShopifyAPIVersion is the X-Shopify-API-Version of Shopify's samples
// (providers.shopify.api_version changes it).
const ShopifyAPIVersion = "2026-01"

var stripeEvents = []Event{
	{"checkout.session.completed", "A Checkout Session was completed (paid, or set up)."},
	{"checkout.session.expired", "A Checkout Session expired unpaid."},
	{"checkout.session.async_payment_succeeded", "A delayed payment of a Checkout Session succeeded."},
	{"checkout.session.async_payment_failed", "A delayed payment of a Checkout Session failed."},
	{"payment_intent.created", "A PaymentIntent was created."},
	{"payment_intent.succeeded", "A PaymentIntent completed successfully."},
	{"payment_intent.payment_failed", "A payment attempt failed (card declined)."},
	{"payment_intent.canceled", "A PaymentIntent was canceled."},
	{"payment_intent.requires_action", "A PaymentIntent needs the customer to act (3D Secure)."},
	{"charge.succeeded", "A charge succeeded."},
	{"charge.failed", "A charge failed."},
	{"charge.refunded", "A charge was refunded."},
	{"charge.dispute.created", "A customer disputed a charge."},
	{"customer.created", "A new customer was created."},
	{"customer.updated", "A customer's details changed."},
	{"customer.deleted", "A customer was deleted."},
	{"customer.subscription.created", "A subscription was created."},
	{"customer.subscription.updated", "A subscription changed (status, plan, quantity)."},
	{"customer.subscription.deleted", "A subscription ended."},
	{"customer.subscription.trial_will_end", "A trial ends in three days."},
	{"customer.subscription.paused", "A subscription was paused."},
	{"customer.subscription.resumed", "A paused subscription was resumed."},
	{"invoice.created", "A draft invoice was created."},
	{"invoice.finalized", "An invoice was finalized."},
	{"invoice.paid", "An invoice was paid."},
	{"invoice.payment_failed", "An invoice payment attempt failed."},
	{"invoice.payment_succeeded", "An invoice payment attempt succeeded."},
	{"invoice.upcoming", "A subscription renews in a few days (the upcoming invoice, no id yet)."},
	{"setup_intent.succeeded", "A SetupIntent saved a payment method."},
	{"payment_method.attached", "A payment method was attached to a customer."},
	{"product.created", "A product was created."},
	{"product.updated", "A product changed."},
	{"price.created", "A price was created."},
	{"payout.paid", "A payout arrived in the bank account."},
	{"payout.failed", "A payout failed."},
	{"account.updated", "A connected account's settings or status changed."},
}

var githubEvents = []Event{
	{"ping", "Sent when a webhook is created."},
	{"push", "Commits were pushed to a branch or tag."},
	{"create", "A branch or tag was created."},
	{"delete", "A branch or tag was deleted."},
	{"fork", "The repository was forked."},
	{"star.created", "Someone starred the repository."},
	{"pull_request.opened", "A pull request was opened."},
	{"pull_request.closed", "A pull request was merged (closed with merged: true)."},
	{"pull_request.synchronize", "A pull request's head branch got new commits."},
	{"pull_request.reopened", "A closed pull request was reopened."},
	{"pull_request_review.submitted", "A pull request review was submitted."},
	{"issues.opened", "An issue was opened."},
	{"issues.closed", "An issue was closed."},
	{"issue_comment.created", "A comment was added to an issue or pull request."},
	{"release.published", "A release was published."},
	{"workflow_run.completed", "A GitHub Actions workflow run completed."},
	{"workflow_job.completed", "A GitHub Actions job completed."},
	{"check_suite.completed", "A check suite completed."},
	{"check_run.completed", "A check run completed."},
	{"installation.created", "A GitHub App was installed."},
}

var shopifyEvents = []Event{
	{"orders/create", "An order was placed."},
	{"orders/paid", "An order was paid."},
	{"orders/updated", "An order changed."},
	{"orders/cancelled", "An order was cancelled."},
	{"orders/fulfilled", "An order was fulfilled."},
	{"products/create", "A product was created."},
	{"products/update", "A product was updated."},
	{"products/delete", "A product was deleted."},
	{"customers/create", "A customer was created."},
	{"customers/update", "A customer was updated."},
	{"app/uninstalled", "The app was uninstalled from the shop."},
	{"carts/update", "A cart changed."},
	{"checkouts/create", "A checkout was created."},
	{"inventory_levels/update", "An inventory level changed."},
	{"customers/data_request", "Mandatory privacy topic: a customer asked for their data."},
	{"customers/redact", "Mandatory privacy topic: erase a customer's data."},
	{"shop/redact", "Mandatory privacy topic: erase the shop's data (48 hours after uninstall)."},
}
