package leadlinehttp

import (
	"net/http"

	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/leaderr"
	"github.com/leadline/leadline/rules"
)

// getLead handles GET /leads/{id}: the lead, if the viewer may see all of
// it; else the same 404 as for an unknown id (M2).
func (s *server) getLead(w http.ResponseWriter, r *http.Request) {
	v, ok := s.viewer(w, r)
	if !ok {
		return
	}
	l, err := s.eng.Lead(r.Context(), v, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, l)
}

// getSummary handles GET /leads/{id}/summary: the lead's campaign
// responses, which a field rep may see under the policy's summary switch
// (M2).
func (s *server) getSummary(w http.ResponseWriter, r *http.Request) {
	v, ok := s.viewer(w, r)
	if !ok {
		return
	}
	sum, err := s.eng.Summary(r.Context(), v, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, sum)
}

// getHistory handles GET /leads/{id}/history: every change, oldest first
// (E3), for a viewer who may see the lead (M2).
func (s *server) getHistory(w http.ResponseWriter, r *http.Request) {
	v, ok := s.viewer(w, r)
	if !ok {
		return
	}
	h, err := s.eng.History(r.Context(), v, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if h == nil {
		h = []lead.Change{}
	}
	s.writeJSON(w, r, http.StatusOK, h)
}

// getExplain handles GET /leads/{id}/explain: the decisions the rules
// made about the lead, each with its rule ids ("why did this lead go to
// this rep?"), their texts in ?lang=ja|en (else Accept-Language, else
// the policy's language) with instants in the team's zone (E10).
func (s *server) getExplain(w http.ResponseWriter, r *http.Request) {
	v, ok := s.viewer(w, r)
	if !ok {
		return
	}
	lang := s.pol.Language
	switch l := r.URL.Query().Get("lang"); l {
	case "":
		if l, ok := AcceptLanguage(r.Header.Get("Accept-Language")); ok {
			lang = l
		}
	case "ja", "en":
		lang = rules.Language(l)
	default:
		s.fail(w, r, leaderr.Errorf("lang", "unknown language %q; want ja or en", l))
		return
	}
	d, err := s.eng.Explain(r.Context(), v, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i := range d {
		d[i].Text = d[i].TextIn(lang, s.pol.Zone())
	}
	if d == nil {
		s.writeJSON(w, r, http.StatusOK, []struct{}{})
		return
	}
	s.writeJSON(w, r, http.StatusOK, d)
}
