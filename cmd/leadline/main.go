// Command leadline is the sales-ops tool of leadline: it prints and
// checks policy files, replays an event log under a policy, says what
// another policy would have done, explains one lead's decisions and
// draws a policy's cadence.
//
// Usage:
//
//	leadline policy                                   print the default policy file (the rule book)
//	leadline validate [-json] POLICY                  check a policy file, every problem with its line
//	leadline replay [-policy P] [-roster R] [-json] EVENTS
//	                                                  replay an event log; counts per team, rep, campaign
//	leadline diff -policy A -policy B [-roster R] [-lang en|ja] [-leads N] [-json] EVENTS
//	                                                  replay under two policies and say what changed
//	leadline explain -lead ID [-policy P] [-roster R] [-lang en|ja] [-json] EVENTS
//	                                                  replay, then list the decisions about one lead
//	leadline diagram [-format mermaid|dot] [-policy P]
//	                                                  draw the policy's cadence
//
// EVENTS is an event log (JSON Lines of lead.Event, package replay),
// "-" for standard input. R is a roster, a routing.Org as JSON, or the
// setup a simulation writes beside its log (replay.Setup: roster, and
// when the engine swept). validate reports every problem replay, diff
// and explain would refuse the policy for, the engine's as well as the
// file's: a language that is not built in needs templates, which the
// command cannot take (E10). Every subcommand takes -h;
// validate, replay, diff and explain take -json for machines. Exit
// status: 0 done, 1 failed, 2 bad usage.
package main

import (
	"os"
	_ "time/tzdata" // a policy's zone, Asia/Tokyo, on hosts without a zone database
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
