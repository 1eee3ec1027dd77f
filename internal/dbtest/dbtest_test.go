package dbtest

import "testing"

// Every database this package hands out is reachable and empty, and a
// table created in one is not seen by another.
func TestFreshDatabases(t *testing.T) {
	for name, fresh := range All {
		t.Run(name, func(t *testing.T) {
			a, b := fresh(t), fresh(t)
			Exec(t, a, "CREATE TABLE t (id INT)")
			Exec(t, b, "CREATE TABLE t (id INT)")
			db, _ := Open(t, a)
			var n int
			if err := db.QueryRow("SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 0 {
				t.Fatalf("count = %d, %v", n, err)
			}
		})
	}
}

func TestSwapDatabase(t *testing.T) {
	for in, want := range map[string]string{
		"jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres": "jdbc:postgresql://127.0.0.1:5432/x?user=postgres",
		"jdbc:mariadb://127.0.0.1:3306/mysql":                     "jdbc:mariadb://127.0.0.1:3306/x",
	} {
		if got := swapDatabase(in, "x"); got != want {
			t.Errorf("swapDatabase(%q) = %q, want %q", in, got, want)
		}
	}
}
