package dashboards

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSafeJSON checks that any string, once in the JSON embedded in a page,
// has no <, >, & or go-echarts function marker left, and reads back as the
// same text apart from the broken marker.
func FuzzSafeJSON(f *testing.F) {
	for _, s := range []string{xssScript, xssImg, xssFunc, "Chợ Đồn", "a\u2028b", "__f____f__", "_\u200b_f__", "</SCRIPT", "<!--"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := safeJSON(map[string]string{"name": s})
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"<", ">", "&", "__f__", "\u2028", "\u2029"} {
			if strings.Contains(string(b), bad) {
				t.Fatalf("safeJSON(%q) = %s contains %q", s, b, bad)
			}
		}
		var back map[string]string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("safeJSON(%q) = %s: %v", s, b, err)
		}
		if utf8.ValidString(s) && strings.ReplaceAll(back["name"], "\u200b", "") != strings.ReplaceAll(s, "\u200b", "") {
			t.Fatalf("round trip of %q gave %q", s, back["name"])
		}
	})
}

var placeholder = regexp.MustCompile(`\{[a-z]+\}`)

// TestMessagesMatch checks that both languages have the same keys and the
// same placeholders in each message.
func TestMessagesMatch(t *testing.T) {
	vi, err := loadMessages("vi")
	if err != nil {
		t.Fatal(err)
	}
	en, err := loadMessages("en")
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range vi.m {
		e, ok := en.m[k]
		if !ok {
			t.Errorf("en lacks %q", k)
			continue
		}
		pv, pe := placeholder.FindAllString(v, -1), placeholder.FindAllString(e, -1)
		sort.Strings(pv)
		sort.Strings(pe)
		if strings.Join(pv, ",") != strings.Join(pe, ",") {
			t.Errorf("%q: placeholders vi %v, en %v", k, pv, pe)
		}
	}
	for k := range en.m {
		if _, ok := vi.m[k]; !ok {
			t.Errorf("vi lacks %q", k)
		}
	}
}
