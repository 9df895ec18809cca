package storetest_test

import (
	"sync/atomic"
	"testing"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/storetest"
)

// countedStore is a memstore that counts its Close calls, standing in for
// a database store whose connections must be released.
type countedStore struct {
	*memstore.Store
	closed *atomic.Int64
	once   atomic.Bool
}

func (s *countedStore) Close() error {
	if s.once.Swap(true) {
		panic("storetest closed a store twice")
	}
	s.closed.Add(1)
	return nil
}

// TestRun_closesStores runs the suite on memstore through a wrapper that
// implements io.Closer and checks that every store the suite opened, in
// its subtests and in each rapid check of Model, was closed once.
func TestRun_closesStores(t *testing.T) {
	var opened, closed atomic.Int64
	t.Run("suite", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) leadline.Store {
			opened.Add(1)
			return &countedStore{Store: memstore.New(), closed: &closed}
		})
	})
	if opened.Load() == 0 {
		t.Fatal("the suite opened no store")
	}
	if opened.Load() != closed.Load() {
		t.Errorf("the suite opened %d stores and closed %d", opened.Load(), closed.Load())
	}
}

// TestRunLeadStore_partial checks that the LeadStore group runs on a store
// that is only a leadline.LeadStore.
func TestRunLeadStore_partial(t *testing.T) {
	storetest.RunLeadStore(t, func(t *testing.T) leadline.LeadStore {
		return leadOnly{memstore.New()}
	})
}

// leadOnly hides every method of a store but those of leadline.LeadStore.
type leadOnly struct{ leadline.LeadStore }

func TestRunCampaigns_partial(t *testing.T) {
	storetest.RunCampaigns(t, func(t *testing.T) leadline.CampaignStore {
		return campaignsOnly{memstore.New()}
	})
}

// campaignsOnly hides every method of a store but those of
// leadline.CampaignStore.
type campaignsOnly struct{ leadline.CampaignStore }
