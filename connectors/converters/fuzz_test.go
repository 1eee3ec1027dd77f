package converters

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzJsonToConnect feeds arbitrary bytes to JsonConverter.ToConnect with
// schemas enabled and disabled. Invariants: no panic; every failure is a
// *DataError; whatever is read and can be written back reads again, and
// after one more cycle the bytes no longer change (the first cycle may
// legitimately change values, as Kafka does: Infinity is written as a
// string that reads back as 0.0).
func FuzzJsonToConnect(f *testing.F) {
	for _, s := range []string{
		`{"schema":{"type":"string","optional":false},"payload":"foo"}`,
		`{"schema":{"type":"map","keys":{"type":"int32"},"values":{"type":"array","items":{"type":"double"}}},"payload":[[1,[1.5,1e400]]]}`,
		`{"schema":{"type":"struct","fields":[{"type":"int8","field":"a"}]},"payload":null}`,
		`{"a":[1,"\uD83D\uDE00",true,null,{"b":0012}]}`,
		`{"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},{"type":"string","optional":true,"default":"d","field":"opt"}],"optional":false,"name":"com.example.Rec"},"payload":{"id":1,"x":2}}`,
		`{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":"AJw="}`,
		`{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"4"}},"payload":1.5600}`,
		`{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Date","optional":true,"default":1},"payload":10000}`,
		`{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Time"},"payload":86400000}`,
		`{"schema":{"type":"int64","name":"org.apache.kafka.connect.data.Timestamp"},"payload":-1}`,
		`{"schema":{"type":"struct","fields":[{"type":"int8","field":"a"}],"optional":true,"default":{"a":1}},"payload":null}`,
	} {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	enabled, disabled := mustJSON(f), mustJSON(f, KeySchemasEnable, "false")
	f.Fuzz(func(t *testing.T, data []byte, schemas bool) {
		c := disabled
		if schemas {
			c = enabled
		}
		sv, err := c.ToConnect(ctx, "t", nil, data)
		if err != nil {
			var de *DataError
			if !errors.As(err, &de) {
				t.Fatalf("ToConnect error %v (%T) is not a *DataError", err, err)
			}
			return
		}
		out1, err := c.FromConnect(ctx, "t", nil, sv)
		if err != nil {
			var de *DataError
			if !errors.As(err, &de) {
				t.Fatalf("FromConnect error %v (%T) is not a *DataError", err, err)
			}
			return
		}
		var prev []byte = out1
		for i := 0; i < 2; i++ {
			again, err := c.ToConnect(ctx, "t", nil, prev)
			if err != nil {
				t.Fatalf("reading our own output %q: %v", prev, err)
			}
			out, err := c.FromConnect(ctx, "t", nil, again)
			if err != nil {
				t.Fatalf("writing %#v read from %q: %v", again.Value, prev, err)
			}
			if i == 1 && !bytes.Equal(out, prev) {
				t.Fatalf("not stable: %q became %q", prev, out)
			}
			prev = out
		}
	})
}
