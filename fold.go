package thidua

import (
	"strings"
	"unicode"
)

// vietBase maps every precomposed Vietnamese lower-case letter to its base
// Latin letter. đ has no Unicode decomposition and is folded here by hand.
var vietBase = map[rune]rune{}

func init() {
	groups := map[rune]string{
		'a': "àáảãạăằắẳẵặâầấẩẫậ",
		'e': "èéẻẽẹêềếểễệ",
		'i': "ìíỉĩị",
		'o': "òóỏõọôồốổỗộơờớởỡợ",
		'u': "ùúủũụưừứửữự",
		'y': "ỳýỷỹỵ",
		'd': "đ",
	}
	for base, letters := range groups {
		for _, r := range letters {
			vietBase[r] = base
		}
	}
}

// Fold returns s reduced to a key for comparing names: lower case, without
// diacritics (đ folded to d by hand), punctuation turned into spaces and runs
// of spaces collapsed. Composed (NFC) and decomposed (NFD) spellings of the
// same name fold to the same key.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // drop leading spaces
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) { // combining marks of NFD text
			continue
		}
		r = unicode.ToLower(r)
		if base, ok := vietBase[r]; ok {
			r = base
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// unitPrefixes are the administrative words written before a unit's name.
// They are compared after Fold, longest first.
var unitPrefixes = []string{
	"thanh pho", "thi xa", "thi tran", "huyen", "quan", "tp", "tx", "h", "q",
}

// FoldUnitName is Fold with the leading administrative prefix ("Huyện",
// "H.", "Thành phố", "TP.", "Thị xã") removed, so that "Huyện Pác Nặm" and
// "PAC NAM" give the same key.
func FoldUnitName(s string) string {
	f := Fold(s)
	for _, p := range unitPrefixes {
		if rest, ok := strings.CutPrefix(f, p+" "); ok && rest != "" {
			return rest
		}
	}
	return f
}

// FoldLetters returns the letters Fold replaces by their base letter after
// lower-casing (the precomposed Vietnamese letters and đ), for a script that
// folds a reader's search query by the same rule as Fold: lower case, drop
// combining marks, replace these letters, turn anything that is not a letter
// or digit into one space.
func FoldLetters() map[rune]rune {
	out := make(map[rune]rune, len(vietBase))
	for r, b := range vietBase {
		out[r] = b
	}
	return out
}
