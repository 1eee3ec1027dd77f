// Package sample builds realistic records for benchmarks and tests: an
// order of about 1 KB as JSON, a Struct with nested Structs, an array, a
// map and logical types, the shape JDBC and CDC sources produce.
package sample

import (
	"fmt"
	"time"

	"github.com/connect-standalone/connect-standalone/connectors"
)

var (
	addressSchema = &connectors.Schema{Type: connectors.Struct, Name: "com.example.Address", Fields: []connectors.Field{
		{Name: "street", Index: 0, Schema: connectors.StringSchema},
		{Name: "city", Index: 1, Schema: connectors.StringSchema},
		{Name: "postcode", Index: 2, Schema: connectors.StringSchema},
		{Name: "country", Index: 3, Schema: connectors.StringSchema},
	}}
	customerSchema = &connectors.Schema{Type: connectors.Struct, Name: "com.example.Customer", Fields: []connectors.Field{
		{Name: "id", Index: 0, Schema: connectors.Int64Schema},
		{Name: "name", Index: 1, Schema: connectors.StringSchema},
		{Name: "email", Index: 2, Schema: connectors.OptionalStringSchema},
		{Name: "address", Index: 3, Schema: addressSchema},
	}}
	itemSchema = &connectors.Schema{Type: connectors.Struct, Name: "com.example.Item", Fields: []connectors.Field{
		{Name: "sku", Index: 0, Schema: connectors.StringSchema},
		{Name: "quantity", Index: 1, Schema: connectors.Int32Schema},
		{Name: "price", Index: 2, Schema: connectors.DecimalSchema(2, false)},
	}}
	// OrderSchema is the schema of Order's value.
	OrderSchema = &connectors.Schema{Type: connectors.Struct, Name: "com.example.Order", Fields: []connectors.Field{
		{Name: "id", Index: 0, Schema: connectors.Int64Schema},
		{Name: "status", Index: 1, Schema: connectors.StringSchema},
		{Name: "created", Index: 2, Schema: connectors.TimestampSchema(false)},
		{Name: "customer", Index: 3, Schema: customerSchema},
		{Name: "items", Index: 4, Schema: &connectors.Schema{Type: connectors.Array, Value: itemSchema}},
		{Name: "total", Index: 5, Schema: connectors.DecimalSchema(2, false)},
		{Name: "express", Index: 6, Schema: connectors.BooleanSchema},
		{Name: "weight", Index: 7, Schema: connectors.Float64Schema},
		{Name: "attributes", Index: 8, Schema: &connectors.Schema{Type: connectors.Map, Key: connectors.StringSchema, Value: connectors.StringSchema}},
		{Name: "note", Index: 9, Schema: connectors.OptionalStringSchema},
	}}
)

// Order returns order number n with its schema. Each call builds new
// values, so callers may keep them.
func Order(n int64) connectors.SchemaAndValue {
	addr := connectors.NewStruct(addressSchema)
	must(addr.Put("street", "221B Baker Street"))
	must(addr.Put("city", "London"))
	must(addr.Put("postcode", "NW1 6XE"))
	must(addr.Put("country", "GB"))
	cust := connectors.NewStruct(customerSchema)
	must(cust.Put("id", 1000+n))
	must(cust.Put("name", "Sherlock Holmes"))
	must(cust.Put("email", "sherlock@example.com"))
	must(cust.Put("address", addr))
	var items []any
	for i := range 4 {
		it := connectors.NewStruct(itemSchema)
		must(it.Put("sku", fmt.Sprintf("SKU-%06d-%d", n, i)))
		must(it.Put("quantity", int32(i+1)))
		must(it.Put("price", connectors.NewDecimal(int64(1999+100*i), 2)))
		items = append(items, it)
	}
	o := connectors.NewStruct(OrderSchema)
	must(o.Put("id", n))
	must(o.Put("status", "SHIPPED"))
	must(o.Put("created", time.UnixMilli(1700000000000+n).UTC()))
	must(o.Put("customer", cust))
	must(o.Put("items", items))
	must(o.Put("total", connectors.NewDecimal(87960, 2)))
	must(o.Put("express", n%2 == 0))
	must(o.Put("weight", 2.75))
	must(o.Put("attributes", map[any]any{"channel": "web", "campaign": "winter-sale", "warehouse": "LHR-3"}))
	must(o.Put("note", "Leave the parcel with Mrs Hudson if nobody answers the door; the violin case is fragile."))
	return connectors.SchemaAndValue{Schema: OrderSchema, Value: o}
}

// must is for values this file builds: a failure is a bug in this file.
func must(err error) {
	if err != nil {
		panic(err)
	}
}
