package postgres_test

import (
	"testing"

	"github.com/leadline/leadline"
	"github.com/leadline/leadline/storetest"
)

func TestStore(t *testing.T) {
	t.Parallel()
	pool := testPool(t)
	storetest.Run(t, func(t *testing.T) leadline.Store { return openStore(t, pool) })
}
