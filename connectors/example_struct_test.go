package connectors_test

import (
	"fmt"

	"github.com/connect-standalone/connect-standalone/connectors"
)

func ExampleStructValue() {
	schema := &connectors.Schema{
		Type: connectors.Struct,
		Name: "com.example.Order",
		Fields: []connectors.Field{
			{Name: "id", Index: 0, Schema: connectors.Int64Schema},
			{Name: "note", Index: 1, Schema: connectors.OptionalStringSchema},
			{Name: "total", Index: 2, Schema: connectors.DecimalSchema(2, false)},
		},
	}
	order := connectors.NewStruct(schema)
	fmt.Println(order.Put("id", int64(42)))
	fmt.Println(order.Put("total", connectors.NewDecimal(1999, 2)))
	fmt.Println(order.Put("id", "42"))
	fmt.Println(order.Validate())
	fmt.Println(order)
	// Output:
	// <nil>
	// <nil>
	// Invalid Go value for schema with type INT64: string for field: "id"
	// <nil>
	// Struct{id=42,total=19.99}
}
