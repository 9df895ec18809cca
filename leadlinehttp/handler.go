package leadlinehttp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/leadline/leadline"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"
)

// Options configure [Handler]. Viewer and Reader are required; every
// other zero field means its default.
type Options struct {
	// Viewer says who is asking, from the host's own session, token or
	// proxy (M2). It is required: there is no default, and none that
	// trusts a header, since whoever may set the header could then read
	// any lead. An error answers 401 and reaches no engine call.
	Viewer func(*http.Request) (routing.Viewer, error)
	// Reader is the store's read side the reports run on (V10);
	// memstore's *Store implements it. Required.
	Reader report.Reader
	// Seen, when set, tells whether an event id was handled for a lead
	// before, and the fingerprint of its payload (E2): a batch of events
	// then answers which of them were repeats. A store's Seen method
	// ([leadline.LeadStore]) fits: pass st.Seen. When Reader also
	// answers SeenEvents for many ids at once (postgres does), a batch
	// asks it once instead: one round trip, not one an event. Without
	// Seen a batch answers duplicate for every event only when all of
	// them were repeats.
	Seen func(ctx context.Context, leadID, eventID string) (print uint64, seen bool, err error)
	// Clock is where the reports' "now" comes from: pass the engine's
	// Config.Clock (E1). Defaults to the wall clock.
	Clock clock.Clock
	// Zone is the zone reports read days in when a request names no tz
	// (V8). Defaults to the policy's time zone, else UTC.
	Zone *time.Location
	// WeekStart is the day weeks start on when a request names no
	// week_start (V8). Defaults to Monday.
	WeekStart *time.Weekday
	// Teams group reps in the SLA report's team rows (V9). Defaults to
	// one row of everyone.
	Teams []routing.Team
	// MaxBodyBytes caps a request body; a larger one answers 413.
	// Defaults to [MaxBodyBytesDefault].
	MaxBodyBytes int64
	// TrustedOrigins are origins (scheme, host and port) of the host's
	// other front ends, whose pages may make state-changing requests here
	// across sites; same-origin requests need none. Defaults to none.
	TrustedOrigins []string
	// Logger receives the handler's logs: every 500's cause, never a
	// lead's name or e-mail address. Defaults to discarding everything.
	Logger *slog.Logger
}

// MaxBodyBytesDefault is the default [Options.MaxBodyBytes]: 1 MiB, a
// webhook's batch of events or a feedback sheet of a few thousand rows.
const MaxBodyBytesDefault = 1 << 20

// server is the handler's state: the engine, the options with their
// defaults filled in, and the parsed templates.
type server struct {
	eng  *leadline.Engine
	opt  Options
	pol  leadline.Policy
	log  *slog.Logger
	clk  clock.Clock
	zone *time.Location
	ui   *ui
}

// Handler returns the HTTP handler of eng: the JSON API and the dashboard
// described in the package doc, behind size limits and cross-origin
// protection. It panics if eng, opts.Viewer or opts.Reader is nil, or a
// trusted origin is malformed: those are programmer errors at
// construction, and a handler without a viewer would have to trust
// whoever asks (M2).
func Handler(eng *leadline.Engine, opts Options) http.Handler {
	if eng == nil {
		panic("leadlinehttp: Handler needs an engine")
	}
	if opts.Viewer == nil {
		panic("leadlinehttp: Options.Viewer is required: say who is asking from your own session or token (M2)")
	}
	if opts.Reader == nil {
		panic("leadlinehttp: Options.Reader is required: the store's read side, such as memstore's *Store (V10)")
	}
	s := &server{eng: eng, opt: opts, pol: eng.Policy(), log: opts.Logger, clk: opts.Clock, zone: opts.Zone}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.clk == nil {
		s.clk = clock.New()
	}
	if s.zone == nil {
		s.zone = s.pol.Zone()
	}
	if s.zone == nil {
		s.zone = time.UTC
	}
	if s.opt.MaxBodyBytes <= 0 {
		s.opt.MaxBodyBytes = MaxBodyBytesDefault
	}
	s.ui = newUI()

	mux := http.NewServeMux()
	mux.HandleFunc("POST /events", s.postEvents)
	mux.HandleFunc("GET /leads/{id}", s.getLead)
	mux.HandleFunc("GET /leads/{id}/summary", s.getSummary)
	mux.HandleFunc("GET /leads/{id}/history", s.getHistory)
	mux.HandleFunc("GET /leads/{id}/explain", s.getExplain)
	for path, f := range s.reports() {
		mux.HandleFunc("GET "+path, s.report(f))
	}
	mux.HandleFunc("GET /feedback", s.getFeedback)
	mux.HandleFunc("POST /feedback", s.postFeedback)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
	})
	for path, page := range s.pages() {
		mux.HandleFunc("GET "+path, s.page(page))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		// A path served for another method answers 405 with Allow.
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "/" && pattern != "" {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			s.problem(w, r, &problem{Type: typeNoRoute, Title: "Method not allowed", Status: http.StatusMethodNotAllowed,
				Detail: r.URL.Path + " takes " + strings.Join(allow, " or ")})
			return
		}
		s.problem(w, r, &problem{Type: typeNoRoute, Title: "No such route", Status: http.StatusNotFound,
			Detail: "no route for " + r.Method + " " + r.URL.Path + "; see the package doc for the routes"})
	})

	cop := http.NewCrossOriginProtection()
	for _, o := range opts.TrustedOrigins {
		if err := cop.AddTrustedOrigin(o); err != nil {
			panic("leadlinehttp: Options.TrustedOrigins: " + err.Error())
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.problem(w, r, &problem{Type: typeCrossOrigin, Title: "Cross-origin request refused", Status: http.StatusForbidden,
			Detail: "a browser on another site may not change state here; send the request from this origin, or add yours to Options.TrustedOrigins"})
	}))
	return cop.Handler(s.limit(mux))
}

// limit caps every request body at MaxBodyBytes: reading past it fails
// with an *http.MaxBytesError, which answers 413.
func (s *server) limit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, s.opt.MaxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// viewer returns who is asking, or writes a 401 and returns false.
func (s *server) viewer(w http.ResponseWriter, r *http.Request) (routing.Viewer, bool) {
	v, err := s.resolve(r)
	if errors.Is(err, errNoViewer) {
		s.problem(w, r, &problem{Type: typeNoViewer, Title: "Who is asking is unknown", Status: http.StatusUnauthorized,
			Detail: "the request carries no viewer this service accepts; sign in and retry"})
		return routing.Viewer{}, false
	}
	if err != nil {
		s.fail(w, r, err)
		return routing.Viewer{}, false
	}
	return v, true
}

// errNoViewer marks a request whose viewer the host's function refused,
// or that is not a valid viewer: a 401.
var errNoViewer = errors.New("leadlinehttp: no viewer")

// resolve returns who is asking, as the engine's visibility rule reads
// them ([leadline.Engine.Viewer]: a manager scoped to their team, M2),
// since this package runs reports itself. An error wraps errNoViewer
// when the request names no valid viewer, else it is the roster's.
func (s *server) resolve(r *http.Request) (routing.Viewer, error) {
	v, err := s.opt.Viewer(r)
	if err == nil {
		err = v.Validate()
	}
	if err == nil {
		v, err = s.eng.Viewer(r.Context(), v)
		if err != nil && !errors.Is(err, leadline.ErrInvalid) {
			return routing.Viewer{}, err
		}
	}
	if err != nil {
		s.log.InfoContext(r.Context(), "leadlinehttp: no viewer", "path", r.URL.Path, "err", err)
		return routing.Viewer{}, fmt.Errorf("%w: %w", errNoViewer, err)
	}
	return v, nil
}
