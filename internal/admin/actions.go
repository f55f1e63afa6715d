package admin

// Actions are the audited actions, in the order the filter lists them; each
// has a label audit.<action> in the catalogue (the crawl test finds missing ones).
var Actions = []string{
	"user.signup",
	"user.create_admin",
	"user.login",
	"user.login_failed",
	"user.logout",
	"user.password_reset_requested",
	"user.password_reset",
	"token.create",
	"token.revoke",
	"org.create",
	"org.update",
	"org.verify",
	"org.reject",
	"member.invite",
	"member.join",
	"member.role",
	"member.remove",
	"places.create",
	"places.import",
}
