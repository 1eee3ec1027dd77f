package source

import (
	"slices"
	"testing"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
	"github.com/connect-standalone/connect-standalone/internal/dbtest"
)

// TestExample runs examples/jdbc-source-postgres.properties against a
// PostgreSQL database holding its tables.
func TestExample(t *testing.T) {
	cf, err := config.LoadConnectorFile("../../../examples/jdbc-source-postgres.properties")
	if err != nil {
		t.Fatal(err)
	}
	cfg := cf.Config
	if unknown := Def().Unknown(cfg, "name", "connector.class", "tasks.max"); len(unknown) > 0 {
		t.Fatalf("unknown keys %v", unknown)
	}
	url := dbtest.Postgres(t)
	cfg[jdbc.KeyURL], cfg[jdbc.KeyUser], cfg[jdbc.KeyPassword] = url, "", ""
	dbtest.Exec(t, url,
		"CREATE TABLE orders (id SERIAL PRIMARY KEY, total NUMERIC(8,2), updated_at TIMESTAMP NOT NULL)",
		"CREATE TABLE customers (id SERIAL PRIMARY KEY, name TEXT, updated_at TIMESTAMP NOT NULL)",
		"CREATE TABLE ignored (id SERIAL PRIMARY KEY)",
		"INSERT INTO orders (total, updated_at) VALUES (9.99, '2024-05-01 10:00:00')",
		"INSERT INTO customers (name, updated_at) VALUES ('ann', '2024-05-01 10:00:00')")
	c, _, tcs := startConnector(t, cfg, 2)
	if len(tcs) != 2 {
		t.Fatalf("%d task configs", len(tcs))
	}
	var topics []string
	for _, tc := range tcs {
		tk := c.NewTask().(*task)
		offs := &offsets{}
		if err := tk.Start(t.Context(), taskContext{testLogger(t), offs}, tc); err != nil {
			t.Fatal(err)
		}
		for _, r := range drain(t, tk, offs) {
			topics = append(topics, r.Topic)
			if r.Topic == "shop-orders" && get(t, r, "total") != 9.99 {
				t.Errorf("total %v, want best_fit's 9.99", get(t, r, "total"))
			}
		}
		tk.Stop(t.Context())
	}
	slices.Sort(topics)
	if !slices.Equal(topics, []string{"shop-customers", "shop-orders"}) {
		t.Fatalf("topics %v", topics)
	}
}
