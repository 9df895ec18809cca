// Command service serves leadline over HTTP: the JSON API and the
// dashboard of package leadlinehttp, on memstore, on 127.0.0.1 (V10). It
// prints the URL, runs Engine.Run in the background to fire deadlines
// (E5) and deliver notifications (E4), and stops on an interrupt.
//
//	go run ./examples/service [-addr 127.0.0.1:8080] [-demo=false] [-database-url URL [-schema leadline]]
//
// With -demo (the default) it first simulates a week of a small Tokyo
// inside-sales team with package sim, so the dashboard has requests,
// worklists, score jumps and overdue work to show, and then keeps the
// team's clock running from where the simulation stopped. With
// -database-url the store is PostgreSQL (package postgres, migrated at
// start); the demo seeds it only when it holds no leads.
//
// # Who is asking: demo only
//
// The library trusts nothing a request says about who sent it: a host
// passes leadlinehttp.Options.Viewer, reading its own session (M2). This
// demo has no sign-in, so it takes the viewer from the query parameter
// as=role:rep ("as=inside:rep-ito", "as=manager:mgr") and keeps it in the
// cookie leadline_demo_viewer. Anyone can claim to be anyone that way:
// never do this in a real service.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/leadline/leadline"
	"github.com/leadline/leadline/leadlinehttp"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/postgres"
	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"

	_ "time/tzdata" // the team's zone on hosts without a zone database
)

// roster is the demo team: four inside reps and their manager, a field
// rep and theirs.
var roster = &routing.Org{
	Inside: routing.Team{ID: "inside", Manager: "mgr", Reps: []routing.Rep{{ID: "rep-ito"}, {ID: "rep-kato"}, {ID: "rep-sato"}, {ID: "rep-suzuki"}}},
	Field:  routing.Team{ID: "field", Manager: "field-mgr", Reps: []routing.Rep{{ID: "field-mori"}}},
}

// store is what the service needs of a store: the engine's (with Seen)
// and the reports' read side.
type store interface {
	leadline.Store
	report.Reader
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, os.Args[1:]); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "service:", err)
		os.Exit(1)
	}
}

// run parses args, builds the service and serves until ctx ends.
func run(ctx context.Context, stdout io.Writer, args []string) error {
	fs := flag.NewFlagSet("service", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on; port 0 picks a free one")
	demo := fs.Bool("demo", true, "seed a simulated team so the dashboard has something to show")
	dbURL := fs.String("database-url", "", "PostgreSQL URL of the store; empty keeps everything in memory")
	schema := fs.String("schema", postgres.DefaultSchema, "PostgreSQL schema of the store's tables, with -database-url")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stdout, &slog.HandlerOptions{Level: slog.LevelInfo}))
	svc, err := newService(ctx, options{demo: *demo, databaseURL: *dbURL, schema: *schema, log: log})
	if err != nil {
		return err
	}
	defer svc.close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "leadline serving on %s\n", url)
	fmt.Fprintf(stdout, "  a rep's top screen (demo sign-in): %s/dashboard?as=inside:rep-ito\n", url)
	fmt.Fprintf(stdout, "  the manager's:                     %s/dashboard?as=manager:mgr\n", url)
	srv := &http.Server{Handler: svc.handler, ReadHeaderTimeout: 10 * time.Second}
	runErr := make(chan error, 1)
	go func() { runErr <- svc.eng.Run(ctx) }()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if err := <-runErr; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// options are the service's settings.
type options struct {
	demo        bool
	databaseURL string
	schema      string // PostgreSQL schema; "" is postgres.DefaultSchema
	log         *slog.Logger
}

// service is the engine and its handler.
type service struct {
	eng     *leadline.Engine
	handler http.Handler
	close   func()
}

// newService builds the store, seeds it under demo, and the engine and
// handler over it. With a demo the engine's clock is a mock that starts
// where the simulation stopped and follows the wall clock from there.
func newService(ctx context.Context, o options) (*service, error) {
	var st store = memstore.New()
	closeStore := func() {}
	if o.databaseURL != "" {
		pg, closePG, err := openPostgres(ctx, o.databaseURL, cmp.Or(o.schema, postgres.DefaultSchema))
		if err != nil {
			return nil, err
		}
		st, closeStore = pg, closePG
	}
	cfg := leadline.Config{Roster: roster, Logger: o.log,
		Notifier: leadline.NotifierFunc(func(ctx context.Context, n leadline.Notification) error {
			o.log.InfoContext(ctx, "notification", "kind", n.Kind, "lead", n.Lead, "to", n.To)
			return nil
		})}
	cfg.Policy = leadline.DefaultPolicy()
	cfg.Policy.TimeZone = "Asia/Tokyo"
	cfg.Policy.Language = "ja"
	stopClock := func() {}
	if o.demo && o.databaseURL != "" {
		// A database that holds leads already keeps them: the demo seeds
		// only an empty one, and then runs on the wall clock.
		some, err := st.Leads(ctx, leadline.Query{Limit: 1})
		if err != nil {
			closeStore()
			return nil, err
		}
		if len(some) > 0 {
			o.log.InfoContext(ctx, "demo: the database holds leads; not seeding")
			o.demo = false
		}
	}
	if o.demo {
		now, err := seedDemo(ctx, st, cfg.Policy)
		if err != nil {
			closeStore()
			return nil, fmt.Errorf("demo: %w", err)
		}
		clk := clock.NewMock()
		clk.Set(now)
		cfg.Clock = clk
		stopClock = follow(clk)
	}
	eng, err := leadline.New(st, cfg)
	if err != nil {
		stopClock()
		closeStore()
		return nil, err
	}
	h := leadlinehttp.Handler(eng, leadlinehttp.Options{
		Viewer: demoViewer, Reader: st, Seen: st.Seen, Clock: cfg.Clock,
		Teams: []routing.Team{roster.Inside, roster.Field}, Logger: o.log,
	})
	return &service{eng: eng, handler: rememberViewer(h), close: func() { stopClock(); closeStore() }}, nil
}

// follow moves clk forward with the wall clock, a second at a time, until
// the returned func is called.
func follow(clk *clock.Mock) func() {
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				clk.Add(time.Second)
			case <-done:
				return
			}
		}
	}()
	return func() { close(done) }
}

// openPostgres opens the PostgreSQL store at url in schema and applies
// its migrations; the returned func closes the pool.
func openPostgres(ctx context.Context, url, schema string) (store, func(), error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, nil, fmt.Errorf("-database-url: %w", err)
	}
	pg := postgres.New(pool, postgres.WithSchema(schema))
	if err := pg.Migrate(ctx); err != nil {
		pool.Close()
		return nil, nil, fmt.Errorf("-database-url: migrate schema %s: %w", schema, err)
	}
	return pg, pool.Close, nil
}

// demoCookie keeps the demo's viewer between pages. DEMO ONLY.
const demoCookie = "leadline_demo_viewer"

// demoViewer reads the viewer from ?as=role:rep, else the demo cookie.
// DEMO ONLY: it believes whatever the request says (see the package doc).
func demoViewer(r *http.Request) (routing.Viewer, error) {
	s := r.URL.Query().Get("as")
	if s == "" {
		if c, err := r.Cookie(demoCookie); err == nil {
			s = c.Value
		}
	}
	role, rep, ok := strings.Cut(s, ":")
	if !ok {
		return routing.Viewer{}, errors.New("demo: no viewer; add ?as=inside:rep-ito or ?as=manager:mgr")
	}
	var v routing.Viewer
	if err := v.Role.UnmarshalText([]byte(role)); err != nil {
		return routing.Viewer{}, err
	}
	v.Rep = rep
	return v, v.Validate()
}

// rememberViewer keeps ?as= in the demo cookie, so that the dashboard's
// links need not carry it. DEMO ONLY.
func rememberViewer(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if as := r.URL.Query().Get("as"); as != "" {
			http.SetCookie(w, &http.Cookie{Name: demoCookie, Value: as, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		}
		h.ServeHTTP(w, r)
	})
}
