// Package leadlinehttp serves a leadline engine over HTTP with one
// [http.Handler]: events in, leads, reports and a dashboard out (V10). A
// Go service mounts [Handler] and gets what the team reads from its CRM
// today: each rep's top screen of open approach requests (A9) and
// worklist (V1), the day's score jumps (V2), what is overdue by owner
// (V6), the funnel (V7), the follow-up SLA (V9), and the field feedback
// sheet (M5).
//
// # Who is asking
//
// Every request names a [routing.Viewer], and every answer shows only
// what that viewer may see (M2). The host says who is asking through
// [Options.Viewer], from its own session or token: this package trusts
// no header or parameter of its own, and [Handler] refuses to start
// without one. A lead the viewer may not see does not exist for them:
// its id answers 404 with the very same body as an unknown id.
//
// # The JSON API
//
//	POST /events                   one lead.Event, or an array of one lead's events (E2, E9)
//	GET  /leads/{id}               the lead (M2)
//	GET  /leads/{id}/summary       its campaign responses only (M2)
//	GET  /leads/{id}/history       its history (E3)
//	GET  /leads/{id}/explain       why it went where it went, with rule ids (E10, ?lang=ja|en)
//	GET  /worklist                 V1          GET /requests          A9
//	GET  /reports/score-jumps      V2          GET /reports/created   V3-V5 (?period=day|week|month)
//	GET  /reports/overdue          V6          GET /reports/funnel    V7, M6, M12
//	GET  /reports/sla              V9          GET /reports/credits   M6 (?campaign=)
//	GET  /feedback?campaign=       the feedback sheet as CSV (M5)
//	POST /feedback?import=ID       import an edited sheet, all rows or none (M5)
//
// A POST /events body is one JSON value and nothing after it ([DecodeEvents]).
// A feedback import's ID (or its Idempotency-Key header) is an id of at
// most 128 bytes (lead.CheckID), and short enough that ID/lead_id, the
// event id each row is recorded as, is one too.
//
// Reports take tz (an IANA zone), week_start (mon..sun) and
// format=json|csv (V8); CSV starts with a byte-order mark, so that Excel
// on a Japanese Windows machine reads it as UTF-8 (bom=0 leaves it out).
//
// Errors are problem documents (application/problem+json, RFC 9457) with
// type, title, status and detail, and an errors array naming each bad
// field ("events[1].score" in a batch, "import" for a feedback import's
// id): 400 bad input (E6), 401 no viewer, 403 a cross-site browser
// request or a rep posting an event in another's name (M2), 404 unknown
// or hidden (M2; a field rep's event on a lead they may not see, or a
// new one, answers so too: only a viewer who sees every lead, such as a
// webhook's, creates leads), 405 a route taken with another
// method, 409 a conflict with the lead's state or an event id reused with
// another payload (E2), 413 a body over [Options.MaxBodyBytes], 503 with
// Retry-After when the store is unreachable or busy. A 500 says nothing of its cause; the logger
// has it.
//
// # The dashboard
//
// GET /dashboard and the pages under it render the same reports as HTML,
// in Japanese or English (?lang=ja|en, else Accept-Language, else the
// policy's language), with small inline SVG bar charts. A lead's own page,
// /dashboard/leads/{id}, says why it went where it went, each decision
// with its rule ids, in the page's language (E10). Each page says when
// its reports were read, in their zone (V8), and links itself in the
// other language. A page that cannot be read answers as its JSON route
// would, in HTML: 503 with Retry-After when the store is unreachable or
// busy. The templates and the stylesheet are embedded; there
// is no script to build.
package leadlinehttp
