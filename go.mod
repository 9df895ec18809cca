module github.com/leadline/leadline

go 1.26

require (
	github.com/benbjohnson/clock v1.3.5
	github.com/chromedp/chromedp v0.23.1
	github.com/rickar/cal/v2 v2.1.13
	github.com/shopspring/decimal v1.4.0
	pgregory.net/rapid v1.2.0
)

require (
	github.com/chromedp/cdproto v0.160.1 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
)
