package converters

import (
	"strconv"
	"testing"
)

// TestJavaHashMapOrder compares with what OpenJDK 17 printed for HashMaps
// holding the same keys.
func TestJavaHashMapOrder(t *testing.T) {
	keys := map[string]any{}
	for i := 20; i >= 0; i-- {
		keys["k"+strconv.Itoa(i)] = int32(i)
	}
	tests := []struct {
		in   any
		want string
	}{
		{map[string]any{"b": int32(2), "a": int32(1), "c": int32(3), "aa": int32(0)}, "{aa=0, a=1, b=2, c=3}"},
		{keys, "{k0=0, k1=1, k2=2, k20=20, k3=3, k4=4, k11=11, k5=5, k10=10, k6=6, k13=13, k7=7, k12=12, k8=8, k15=15, k9=9, k14=14, k17=17, k16=16, k19=19, k18=18}"},
		{map[any]any{int64(-1): "x", int64(3): "y", true: int32(1), 1.5: int32(2), nil: int32(0)}, "{-1=x, null=0, 3=y, 1.5=2, true=1}"},
	}
	for _, tt := range tests {
		got, err := appendToString(nil, tt.in, 0)
		if err != nil || string(got) != tt.want {
			t.Errorf("toString = %s, %v\nwant %s", got, err, tt.want)
		}
	}
}
