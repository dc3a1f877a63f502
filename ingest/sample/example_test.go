package sample_test

import (
	"bytes"
	"fmt"

	"github.com/thidua/thidua/ingest/sample"
)

func ExampleFiles() {
	fmt.Println(sample.Name)
	for _, f := range sample.Files() {
		first, _, _ := bytes.Cut(f.Data, []byte("\n"))
		fmt.Printf("%s: %s\n", f.Name, first)
	}
	// Output:
	// Bắc Kạn sample (synthetic)
	// observations.csv: unit_code,unit,indicator,period,basis,value,note
	// targets.csv: unit_code,unit,indicator,year,target,note
	// README.txt: Bắc Kạn sample (synthetic)
}
