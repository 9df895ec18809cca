module github.com/leadline/leadline

go 1.26

require (
	github.com/benbjohnson/clock v1.3.5
	github.com/rickar/cal/v2 v2.1.13
	github.com/shopspring/decimal v1.4.0
	golang.org/x/term v0.32.0
	pgregory.net/rapid v1.2.0
)

require golang.org/x/sys v0.33.0 // indirect
