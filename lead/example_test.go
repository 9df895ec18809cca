package lead_test

import (
	"errors"
	"fmt"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
)

// ExampleParseStatus parses statuses as a CRM export spells them: by key
// or by display name, in any case (rule book section 1).
func ExampleParseStatus() {
	for _, in := range []string{"lead", "Disqualified (mktg)", "DISQUALIFIED_SALES", "vip"} {
		s, err := lead.ParseStatus(in)
		if fe, ok := errors.AsType[*leaderr.FieldError](err); ok {
			fmt.Printf("%q: bad %s\n", in, fe.Field)
			continue
		}
		fmt.Printf("%q: %s (key %s, protected %v)\n", in, s, s.Key(), s.Protected())
	}
	// Output:
	// "lead": Lead (key lead, protected false)
	// "Disqualified (mktg)": Disqualified (mktg) (key disqualified_mktg, protected true)
	// "DISQUALIFIED_SALES": Disqualified (sales) (key disqualified_sales, protected true)
	// "vip": bad status
}
