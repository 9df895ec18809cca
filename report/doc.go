// Package report builds the team's daily views as library calls (V1-V10,
// A9): each report is a function of a context, a [Reader] (the read side
// a store implements), a viewer and its parameters, and returns typed
// rows that [WriteCSV] and [WriteJSON] write out (V8).
package report
