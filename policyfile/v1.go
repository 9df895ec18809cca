package policyfile

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/rules"
	"github.com/leadline/leadline/stage"
)

// This file is format version 1: its types, what reads them into a
// [rules.Policy], and what writes a policy out as them. The types are the
// file's own, so the domain types keep their JSON; a field's JSON name is
// its path in every error. A later version gets a file of its own and
// leaves this one as it is, so old files keep loading.

// fileV1 is a whole version 1 file. Absent fields mean the rule book's
// defaults.
type fileV1 struct {
	Version       int           `json:"version"`
	Language      string        `json:"language,omitempty"`
	TimeZone      string        `json:"time_zone,omitempty"`
	Triggers      *triggersV1   `json:"triggers,omitempty"`
	Cadence       *cadenceV1    `json:"cadence,omitempty"`
	RequestWindow *string       `json:"request_window,omitempty"`
	Routing       *routingV1    `json:"routing,omitempty"`
	TargetJump    *targetJumpV1 `json:"target_jump,omitempty"`
	Retention     *retentionV1  `json:"retention,omitempty"`
}

type triggersV1 struct {
	Threshold json.RawMessage `json:"threshold,omitempty"`
	Rules     []triggerV1     `json:"rules"`
}

type triggerV1 struct {
	On       string `json:"on"`
	Score    string `json:"score,omitempty"`
	Priority int    `json:"priority"`
	Rule     string `json:"rule"`
	Subject  string `json:"subject,omitempty"`
}

type cadenceV1 struct {
	Stage1           *stepV1     `json:"stage1,omitempty"`
	Stage2           *stepV1     `json:"stage2,omitempty"`
	Stage3           *stepV1     `json:"stage3,omitempty"`
	Stage4           *stepV1     `json:"stage4,omitempty"`
	RecycleAfter     *string     `json:"recycle_after,omitempty"`
	MaxReassignments *int        `json:"max_reassignments,omitempty"`
	Repeats          *int        `json:"repeats,omitempty"`
	RepeatAfter      *string     `json:"repeat_after,omitempty"`
	Calendar         *calendarV1 `json:"calendar,omitempty"`
}

type stepV1 struct {
	Within   *string  `json:"within,omitempty"`
	Channels []string `json:"channels,omitempty"`
	Template string   `json:"template,omitempty"`
	Goal     string   `json:"goal,omitempty"`
}

type calendarV1 struct {
	Name     string   `json:"name"`
	Zone     string   `json:"zone,omitempty"`
	Start    string   `json:"start,omitempty"`
	End      string   `json:"end,omitempty"`
	Workdays []string `json:"workdays,omitempty"`
	Closed   []string `json:"closed,omitempty"`
	Count    string   `json:"count,omitempty"`
}

type routingV1 struct {
	Organisation   string            `json:"organisation,omitempty"`
	Types          map[string]string `json:"types,omitempty"`
	Statuses       []string          `json:"statuses,omitempty"`
	InsideTypes    []string          `json:"inside_types"`
	Survey         []predicateV1     `json:"survey,omitempty"`
	FieldSummary   bool              `json:"field_summary"`
	Handoff        []string          `json:"handoff,omitempty"`
	InvitedPercent *int              `json:"invited_percent,omitempty"`
}

type predicateV1 struct {
	Question string   `json:"question"`
	AnyOf    []string `json:"any_of"`
}

type targetJumpV1 struct {
	Rise     json.RawMessage `json:"rise,omitempty"`
	Priority *int            `json:"priority,omitempty"`
	Off      bool            `json:"off"`
}

type retentionV1 struct {
	History *string `json:"history,omitempty"`
	Events  *string `json:"events,omitempty"`
}

// maxCount bounds max_reassignments and repeats: no team reminds a rep a
// hundred times, and the cadence counts both in a byte (T10, T13).
const maxCount = 100

// Calendar names (T11).
const (
	calendarWall     = "wall"
	calendarBusiness = "business"
)

// conv collects every problem found while reading a file, each a
// [*leaderr.FieldError] on the file's path with its line.
type conv struct {
	s    *scan
	errs []error
}

func (c *conv) fail(path, format string, args ...any) {
	line := 0
	if c.s != nil {
		for _, e := range c.s.errs {
			if fe, ok := e.(*leaderr.FieldError); ok && fe.Field == path {
				return // its type was wrong: said once
			}
		}
		line = c.s.lineOf(path)
	}
	c.errs = append(c.errs, &leaderr.FieldError{Field: path, Line: line, Err: fmt.Errorf(format, args...)})
}

func (c *conv) given(path string) bool { return c.s != nil && c.s.has(path) }

// window reads an optional duration. zeroOK allows "0s" (retention: keep
// everything); otherwise a given window must be positive (leave it out
// for the default) and at most a year (E6).
func (c *conv) window(path string, s *string, zeroOK bool) time.Duration {
	if s == nil {
		return 0
	}
	d, err := parseDuration(*s)
	w := strings.TrimSpace(*s)
	switch {
	case err != nil:
		c.fail(path, "%w", err)
	case d < 0 && zeroOK:
		c.fail(path, "must not be negative, got %s", w)
	case d < 0:
		c.fail(path, "must be positive, got %s", w)
	case d == 0 && !zeroOK:
		c.fail(path, "must be positive, got %s; leave the field out for the default", w)
	case d > stage.MaxWindow && !zeroOK:
		c.fail(path, "must be at most %s (a year), got %s", formatDuration(stage.MaxWindow), w)
	default:
		return d
	}
	return 0
}

// count reads max_reassignments or repeats: as written, 0 is none (the
// domain's -1), absent is the default (the domain's 0).
func (c *conv) count(path string, n *int, what string) int {
	switch {
	case n == nil:
		return 0
	case *n < 0 || *n > maxCount:
		c.fail(path, "must be from 0 (%s) to %d, got %d", what, maxCount, *n)
		return 0
	case *n == 0:
		return -1 // stage.NoReassignment, stage.NoRepeat
	}
	return *n
}

// policy reads f into a policy, reporting every problem.
func (f *fileV1) policy(s *scan) (rules.Policy, error) {
	c := &conv{s: s}
	var p rules.Policy

	if f.Language != "" {
		l := rules.Language(f.Language)
		if len(f.Language) != 2 || strings.ToLower(f.Language) != f.Language || strings.Trim(f.Language, "abcdefghijklmnopqrstuvwxyz") != "" {
			c.fail("language", "want an ISO 639-1 code such as %q or %q, got %q", rules.English, rules.Japanese, f.Language)
		}
		p.Language = l
	} else if c.given("language") {
		c.fail("language", "empty; want %q or %q, or leave the field out for English", rules.English, rules.Japanese)
	}
	if f.TimeZone != "" || c.given("time_zone") {
		p.TimeZone = f.TimeZone
		c.zone("time_zone", f.TimeZone)
	}
	if f.Triggers != nil {
		p.Triggers = c.triggers(f.Triggers)
	}
	if f.Cadence != nil {
		p.Cadence = c.cadence(f.Cadence)
	}
	p.RequestWindow = c.window("request_window", f.RequestWindow, false)
	if f.Routing != nil {
		p.Routing = c.routing(f.Routing)
	}
	if t := f.TargetJump; t != nil {
		if len(t.Rise) > 0 && string(t.Rise) != "null" {
			d, err := parseDecimal(t.Rise)
			switch {
			case err != nil:
				c.fail("target_jump.rise", "%w", err)
			case !d.IsPositive():
				c.fail("target_jump.rise", "must be positive, got %s; to turn A8 off, set off to true", d)
			default:
				p.TargetJump.Rise = d
			}
		}
		if t.Priority != nil {
			if *t.Priority < 1 {
				c.fail("target_jump.priority", "must be 1 or more, got %d", *t.Priority)
			}
			p.TargetJump.Priority = *t.Priority
		}
		p.TargetJump.Off = t.Off
	}
	if r := f.Retention; r != nil {
		p.Retention.History = c.window("retention.history", r.History, true)
		p.Retention.Events = c.window("retention.events", r.Events, true)
	}
	if len(c.errs) == 0 {
		// The domain's own checks, as a backstop: its field names are
		// the file's.
		if err := p.Validate(); err != nil {
			if fe, ok := err.(*leaderr.FieldError); ok {
				c.fail(fe.Field, "%w", fe.Err)
			} else {
				c.errs = append(c.errs, err)
			}
		}
	}
	if len(c.errs) > 0 {
		return rules.Policy{}, joinErrs(c.errs)
	}
	return p.Normalize(), nil
}

func (c *conv) zone(path, name string) {
	switch {
	case name == "":
		c.fail(path, "empty; want an IANA zone such as Asia/Tokyo")
	case name == "Local":
		c.fail(path, "%q depends on the host; name a zone such as Asia/Tokyo", name)
	default:
		if _, err := time.LoadLocation(name); err != nil {
			c.fail(path, "unknown zone %q; want an IANA name such as Asia/Tokyo", name)
		}
	}
}

func (c *conv) triggers(f *triggersV1) routing.Triggers {
	var t routing.Triggers
	if len(f.Threshold) > 0 && string(f.Threshold) != "null" {
		d, err := parseDecimal(f.Threshold)
		if err != nil {
			c.fail("triggers.threshold", "%w", err)
		} else {
			t.Threshold = lead.NewThreshold(d)
		}
	}
	if f.Rules == nil {
		return t
	}
	t.Rules = make([]routing.Trigger, 0, len(f.Rules))
	for i, r := range f.Rules {
		path := fmt.Sprintf("triggers.rules[%d]", i)
		var row routing.Trigger
		on, err := lead.ParseEventKind(narrow(r.On))
		switch {
		case err != nil && r.On == "":
			c.fail(path+".on", "required: want inquiry, download, response or web_activity")
		case err != nil || on != lead.EventInquiry && on != lead.EventDownload && on != lead.EventResponse && on != lead.EventWebActivity:
			c.fail(path+".on", "want inquiry, download, response or web_activity, got %q", r.On)
		}
		row.On = on
		if err := row.Score.UnmarshalText([]byte(narrow(r.Score))); err != nil && r.Score != "" {
			c.fail(path+".score", "want any, at_least or below, got %q", r.Score)
		}
		if r.Priority < 1 {
			c.fail(path+".priority", "must be 1 or more, got %d", r.Priority)
		}
		row.Priority = r.Priority
		switch {
		case strings.TrimSpace(r.Rule) == "":
			c.fail(path+".rule", "required: the rule id recorded as the request's reason, such as A1")
		case strings.ContainsAny(r.Rule, ", \t"):
			c.fail(path+".rule", "%q: a rule id has no commas or spaces", r.Rule)
		}
		row.Rule = r.Rule
		row.Subject = r.Subject
		t.Rules = append(t.Rules, row)
	}
	return t
}

func (c *conv) cadence(f *cadenceV1) stage.Policy {
	var p stage.Policy
	for i, st := range []*stepV1{f.Stage1, f.Stage2, f.Stage3, f.Stage4} {
		if st == nil {
			continue
		}
		s := stage.Stage1 + stage.Stage(i)
		path := "cadence." + s.Key()
		step := stage.Step{Within: c.window(path+".within", st.Within, false), Template: st.Template, Goal: st.Goal}
		if len(st.Channels) == 0 && c.given(path+".channels") {
			c.fail(path+".channels", "empty; name at least one of call, email, voicemail, meeting, or leave the field out for the default")
		}
		for j, name := range st.Channels {
			ch, err := stage.ParseChannels(narrow(name))
			if err != nil || ch == 0 || strings.ContainsAny(name, ",+;、，") {
				c.fail(fmt.Sprintf("%s.channels[%d]", path, j), "want one of call, email, voicemail, meeting, got %q", name)
			}
			step.Channels |= ch
		}
		switch s {
		case stage.Stage1:
			p.Stage1 = step
		case stage.Stage2:
			p.Stage2 = step
		case stage.Stage3:
			p.Stage3 = step
		case stage.Stage4:
			p.Stage4 = step
		}
	}
	p.RecycleAfter = c.window("cadence.recycle_after", f.RecycleAfter, false)
	p.MaxReassignments = c.count("cadence.max_reassignments", f.MaxReassignments, "straight to the manager")
	p.Repeats = c.count("cadence.repeats", f.Repeats, "no repeated reminder")
	p.RepeatAfter = c.window("cadence.repeat_after", f.RepeatAfter, false)
	if f.Calendar != nil {
		p.Calendar = c.calendar(f.Calendar)
	}
	return p
}

func (c *conv) calendar(f *calendarV1) stage.Calendar {
	const path = "cadence.calendar"
	before := len(c.errs)
	name := strings.ToLower(narrow(f.Name))
	kind, sets, _ := strings.Cut(name, ":")
	switch {
	case name == calendarWall:
		for _, g := range []struct {
			field string
			set   bool
		}{{"zone", f.Zone != ""}, {"start", f.Start != ""}, {"end", f.End != ""},
			{"workdays", f.Workdays != nil}, {"closed", f.Closed != nil}, {"count", f.Count != ""}} {
			if g.set {
				c.fail(path+"."+g.field, "a wall-clock calendar counts every hour; only a business calendar has %s", g.field)
			}
		}
		return nil
	case kind != calendarBusiness:
		c.fail(path+".name", "unknown calendar %q; want wall, business, business:jp or business:us", f.Name)
		return nil
	}
	var h stage.BusinessHours
	if sets != "" {
		for k := range strings.SplitSeq(sets, "+") {
			if k != "jp" && k != "us" {
				c.fail(path+".name", "unknown holidays %q in %q; want business:jp, business:us or business:jp+us", k, f.Name)
				continue
			}
			h.Holidays = append(h.Holidays, k)
		}
	}
	if f.Zone == "" {
		c.fail(path+".zone", "required for a business calendar: the IANA zone its hours are read in, such as Asia/Tokyo")
	} else {
		c.zone(path+".zone", f.Zone)
	}
	h.Zone = f.Zone
	if f.Start != "" {
		t, err := stage.ParseTimeOfDay(narrow(f.Start))
		if err != nil || t.Offset() >= 24*time.Hour {
			c.fail(path+".start", "want a time of day from 00:00 to 23:59 such as \"09:00\", got %q", f.Start)
		}
		h.Start = t
	}
	if f.End != "" {
		t, err := stage.ParseTimeOfDay(narrow(f.End))
		if err != nil {
			c.fail(path+".end", "want a time of day up to 24:00 such as \"18:00\", got %q", f.End)
		}
		h.End = t
	}
	start, end := stage.At(9, 0), stage.At(18, 0)
	if !h.Start.IsZero() {
		start = h.Start
	}
	if !h.End.IsZero() {
		end = h.End
	}
	if len(c.errs) == before && end.Offset() <= start.Offset() {
		c.fail(path+".end", "must be after start %s, got %s", start, end)
	}
	if f.Workdays != nil && len(f.Workdays) == 0 {
		c.fail(path+".workdays", "empty; name the days the business opens, such as [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]")
	}
	for i, d := range f.Workdays {
		wd, err := parseWeekday(narrow(d))
		if err != nil {
			c.fail(fmt.Sprintf("%s.workdays[%d]", path, i), "%w", err)
		}
		h.Workdays = append(h.Workdays, wd)
	}
	for i, d := range f.Closed {
		if _, err := time.Parse(time.DateOnly, narrow(d)); err != nil {
			c.fail(fmt.Sprintf("%s.closed[%d]", path, i), "not a date %q; want YYYY-MM-DD such as 2026-12-29", d)
		}
		h.Closed = append(h.Closed, narrow(d))
	}
	switch narrow(f.Count) {
	case "", "hours":
	case "days":
		h.CountDays = true
	default:
		c.fail(path+".count", "want hours (every hour of a window is a working hour) or days (each 24h is one working day), got %q", f.Count)
	}
	if len(c.errs) > before {
		return nil
	}
	cal, err := stage.NewBusinessCalendar(h)
	if err != nil {
		if fe, ok := err.(*leaderr.FieldError); ok {
			c.fail("cadence."+fe.Field, "%w", fe.Err)
		} else {
			c.errs = append(c.errs, err)
		}
		return nil
	}
	return cal
}

func (c *conv) routing(f *routingV1) routing.Rules {
	var r routing.Rules
	if f.Organisation != "" || c.given("routing.organisation") {
		err := r.Organisation.UnmarshalText([]byte(narrow(f.Organisation)))
		if o := r.Organisation; err != nil || o != routing.InsideFirst && o != routing.Direct && o != routing.FieldOnly {
			c.fail("routing.organisation", "want inside_first, direct or field_only, got %q", f.Organisation)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(f.Types)) {
		t := routing.CampaignType(k)
		if !t.Valid() {
			c.fail(join("routing.types", k), "%q is not a campaign type key (a-z, 0-9, _; at most 40)", k)
		}
		var e routing.Engagement
		if err := e.UnmarshalText([]byte(narrow(f.Types[k]))); err != nil || e == routing.ByType {
			c.fail(join("routing.types", k), "want low or high, got %q", f.Types[k])
		}
		if b, ok := builtinEngagement(t); ok && b == e {
			continue // M3's table says so already
		}
		if r.Types == nil {
			r.Types = make(map[routing.CampaignType]routing.Engagement)
		}
		r.Types[t] = e
	}
	if len(f.Statuses) == 0 && c.given("routing.statuses") {
		c.fail("routing.statuses", "empty; name the statuses whose leads are routed, or leave the field out for new, lead, recycled")
	}
	for i, s := range f.Statuses {
		st, err := lead.ParseStatus(narrow(s))
		if err != nil {
			c.fail(fmt.Sprintf("routing.statuses[%d]", i), "%w", unwrapField(err))
		}
		r.Statuses |= lead.StatusSetOf(st)
	}
	if f.InsideTypes != nil {
		r.InsideTypes = make([]routing.CampaignType, 0, len(f.InsideTypes))
		for i, k := range f.InsideTypes {
			if !routing.CampaignType(k).Valid() {
				c.fail(fmt.Sprintf("routing.inside_types[%d]", i), "%q is not a campaign type key (a-z, 0-9, _; at most 40)", k)
			}
			r.InsideTypes = append(r.InsideTypes, routing.CampaignType(k))
		}
	}
	for i, q := range f.Survey {
		path := fmt.Sprintf("routing.survey[%d]", i)
		if strings.TrimSpace(q.Question) == "" {
			c.fail(path+".question", "required: the survey question whose answer qualifies a lead (M8)")
		}
		if len(q.AnyOf) == 0 {
			c.fail(path+".any_of", "required: the answers that qualify")
		}
		r.Survey = append(r.Survey, routing.Predicate{Question: q.Question, AnyOf: q.AnyOf})
	}
	r.FieldSummary = f.FieldSummary
	if len(f.Handoff) == 0 && c.given("routing.handoff") {
		c.fail("routing.handoff", "empty; name the BANT a hand-off needs, or leave the field out for need, timeline")
	}
	for i, b := range f.Handoff {
		var set lead.BANTSet
		if err := set.UnmarshalText([]byte(narrow(b))); err != nil || set == 0 || strings.Contains(b, ",") {
			c.fail(fmt.Sprintf("routing.handoff[%d]", i), "want one of budget, authority, need, timeline, got %q", b)
		}
		r.Handoff |= set
	}
	if n := f.InvitedPercent; n != nil {
		if *n < 1 || *n > 100 {
			c.fail("routing.invited_percent", "want 1 to 100, got %d", *n)
		}
		r.InvitedPercent = *n
	}
	return r
}

// fileOf writes p, normalized, as a version 1 file.
func fileOf(p rules.Policy) (*fileV1, error) {
	p = p.Normalize()
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("policyfile: cannot write an invalid policy: %w", err)
	}
	// What Load refuses, Marshal does not write.
	if n := p.Cadence.MaxReassignments; n > maxCount {
		return nil, leaderr.Errorf("cadence.max_reassignments", "must be at most %d in a policy file, got %d", maxCount, n)
	}
	if n := p.Cadence.Repeats; n > maxCount {
		return nil, leaderr.Errorf("cadence.repeats", "must be at most %d in a policy file, got %d", maxCount, n)
	}
	if _, err := lead.ParseScore(p.Triggers.Threshold.String()); err != nil {
		return nil, leaderr.Errorf("triggers.threshold", "%v in a policy file, got %s", unwrapField(err), p.Triggers.Threshold)
	}
	if _, err := lead.ParseScore(p.TargetJump.Rise.String()); err != nil {
		return nil, leaderr.Errorf("target_jump.rise", "%v in a policy file, got %s", unwrapField(err), p.TargetJump.Rise)
	}
	var statuses lead.StatusSet
	for st := lead.Status(0); st.Valid(); st++ {
		statuses |= lead.StatusSetOf(st)
	}
	if p.Routing.Statuses&^statuses != 0 {
		return nil, leaderr.Errorf("routing.statuses", "unknown status bits %#x", uint8(p.Routing.Statuses&^statuses))
	}
	f := &fileV1{Version: 1, Language: string(p.Language), TimeZone: p.TimeZone}

	t := &triggersV1{Threshold: numberJSON(p.Triggers.Threshold.Decimal()), Rules: []triggerV1{}}
	for _, r := range p.Triggers.Rules {
		t.Rules = append(t.Rules, triggerV1{On: r.On.String(), Score: r.Score.String(), Priority: r.Priority, Rule: r.Rule, Subject: r.Subject})
	}
	f.Triggers = t

	cd := &cadenceV1{}
	for s := stage.Stage1; s <= stage.Stage4; s++ {
		st := p.Cadence.Playbook(s)
		w := formatDuration(st.Within)
		step := &stepV1{Within: &w, Template: st.Template, Goal: st.Goal}
		step.Channels = append(step.Channels, strings.Split(st.Channels.String(), ",")...)
		switch s {
		case stage.Stage1:
			cd.Stage1 = step
		case stage.Stage2:
			cd.Stage2 = step
		case stage.Stage3:
			cd.Stage3 = step
		case stage.Stage4:
			cd.Stage4 = step
		}
	}
	cd.RecycleAfter = durationPtr(p.Cadence.RecycleAfter)
	cd.MaxReassignments = countPtr(p.Cadence.MaxReassignments)
	cd.Repeats = countPtr(p.Cadence.Repeats)
	if p.Cadence.RepeatAfter > 0 {
		cd.RepeatAfter = durationPtr(p.Cadence.RepeatAfter)
	}
	cal, err := calendarOf(p.Cadence.Calendar)
	if err != nil {
		return nil, err
	}
	cd.Calendar = cal
	f.Cadence = cd

	if p.RequestWindow > 0 {
		f.RequestWindow = durationPtr(p.RequestWindow)
	}

	r := p.Routing
	ro := &routingV1{Organisation: r.Organisation.String(), FieldSummary: r.FieldSummary, InsideTypes: []string{}}
	// The engagement of every type the policy knows: M3's table, then
	// the policy's own types and overrides.
	ro.Types = make(map[string]string, len(builtinTypes)+len(r.Types))
	for _, k := range builtinTypes {
		e, _ := builtinEngagement(k)
		ro.Types[string(k)] = e.String()
	}
	for k, e := range r.Types {
		ro.Types[string(k)] = e.String()
	}
	ro.Statuses = strings.Split(r.Statuses.String(), ",")
	for _, k := range r.InsideTypes {
		ro.InsideTypes = append(ro.InsideTypes, string(k))
	}
	for _, q := range r.Survey {
		ro.Survey = append(ro.Survey, predicateV1{Question: q.Question, AnyOf: q.AnyOf})
	}
	ro.Handoff = strings.Split(r.Handoff.String(), ",")
	n := r.InvitedPercent
	ro.InvitedPercent = &n
	f.Routing = ro

	prio := p.TargetJump.Priority
	f.TargetJump = &targetJumpV1{Rise: numberJSON(p.TargetJump.Rise), Priority: &prio, Off: p.TargetJump.Off}
	if p.Retention != (rules.Retention{}) {
		f.Retention = &retentionV1{}
		if p.Retention.History > 0 {
			f.Retention.History = durationPtr(p.Retention.History)
		}
		if p.Retention.Events > 0 {
			f.Retention.Events = durationPtr(p.Retention.Events)
		}
	}
	return f, nil
}

func calendarOf(c stage.Calendar) (*calendarV1, error) {
	switch c := c.(type) {
	case nil, stage.WallClock:
		return &calendarV1{Name: calendarWall}, nil
	case *stage.BusinessCalendar:
		if c != nil {
			h := c.Hours()
			f := &calendarV1{Name: calendarBusiness, Zone: h.Zone, Start: h.Start.String(), End: h.End.String(), Closed: h.Closed, Count: "hours"}
			if len(h.Holidays) > 0 {
				f.Name += ":" + strings.Join(h.Holidays, "+")
			}
			for _, wd := range h.Workdays {
				f.Workdays = append(f.Workdays, weekdayKeys[wd])
			}
			if h.CountDays {
				f.Count = "days"
			}
			return f, nil
		}
	}
	return nil, leaderr.Errorf("cadence.calendar", "a %T cannot be written to a file; use stage.WallClock or a *stage.BusinessCalendar (T11)", c)
}

func durationPtr(d time.Duration) *string {
	s := formatDuration(d)
	return &s
}

// countPtr writes a domain count: -1 (none) as 0.
func countPtr(n int) *int {
	n = max(n, 0)
	return &n
}

// builtinTypes are the campaign types of M3's table, which a file shows
// in routing.types.
var builtinTypes = []routing.CampaignType{routing.OwnEvent, routing.UserGroup, routing.IndustrySeminar,
	routing.ExternalSeminar, routing.ContentSyndication, routing.WebInquiry, routing.DocDownload}

// builtinEngagement returns M3's engagement of t, and whether t is in the
// table, as routing decides it for a campaign of that type.
func builtinEngagement(t routing.CampaignType) (routing.Engagement, bool) {
	if !slices.Contains(builtinTypes, t) {
		return 0, false
	}
	var r routing.Rules
	return r.Engagement(&routing.Campaign{Type: t}), true
}
