package leadlinehttp

import (
	"net/http"

	"github.com/leadline/leadline/lead"
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
// this rep?").
func (s *server) getExplain(w http.ResponseWriter, r *http.Request) {
	v, ok := s.viewer(w, r)
	if !ok {
		return
	}
	d, err := s.eng.Explain(r.Context(), v, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d == nil {
		s.writeJSON(w, r, http.StatusOK, []struct{}{})
		return
	}
	s.writeJSON(w, r, http.StatusOK, d)
}
