package ingest

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// The encodings of text files (Options.Encoding).
const (
	encAuto        = "auto"
	encUTF8        = "utf-8"
	encUTF16       = "utf-16" // byte order from the BOM, little endian without one
	encUTF16LE     = "utf-16le"
	encUTF16BE     = "utf-16be"
	encWindows1258 = "windows-1258"
	encTCVN3       = "tcvn3" // TCVN 5712:1993 VN3 (ABC), the ".VnTime" fonts
	encVNI         = "vni"   // VNI Windows, the "VNI-Times" fonts
)

// Encodings lists the values Options.Encoding accepts.
var Encodings = []string{encAuto, encUTF8, encUTF16, encUTF16LE, encUTF16BE, encWindows1258, encTCVN3, encVNI}

// normEncoding returns the canonical name of enc, or "" if unknown.
func normEncoding(enc string) string {
	e := strings.ToLower(strings.TrimSpace(enc))
	e = strings.ReplaceAll(e, "_", "-")
	switch e {
	case "", "auto":
		return encAuto
	case "utf-8", "utf8", "utf-8-sig":
		return encUTF8
	case "utf-16", "utf16", "unicode":
		return encUTF16
	case "utf-16le", "utf16le", "utf-16-le":
		return encUTF16LE
	case "utf-16be", "utf16be", "utf-16-be":
		return encUTF16BE
	case "windows-1258", "cp1258", "win1258", "windows1258":
		return encWindows1258
	case "tcvn3", "tcvn", "tcvn-3", "abc", "vn3":
		return encTCVN3
	case "vni", "vni-windows", "vni-win":
		return encVNI
	}
	return ""
}

// decode returns the text of data, read with encoding enc and normalized
// to NFC, and the encoding used. With enc "" or "auto": a UTF-8 or UTF-16
// byte order mark decides; else valid UTF-8 is UTF-8; else text with the
// NUL bytes of UTF-16 is UTF-16; else it is Windows-1258, unless it looks
// like TCVN3 or VNI (see detectLegacy), which is refused with an
// *EncodingError naming the --encoding value that reads it. Text that is
// not valid in a forced encoding is refused with an *EncodingError giving
// the line.
func decode(data []byte, enc string) (text, used string, err error) {
	e := normEncoding(enc)
	if e == "" {
		return "", "", fmt.Errorf("unknown encoding %q (want one of %s)", enc, strings.Join(Encodings, ", "))
	}
	switch e {
	case encAuto:
		return decodeAuto(data)
	case encUTF8:
		return decodeUTF8(bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF}))
	case encUTF16:
		switch {
		case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
			return decodeUTF16(data[2:], false, encUTF16LE)
		case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
			return decodeUTF16(data[2:], true, encUTF16BE)
		}
		return decodeUTF16(data, false, encUTF16LE)
	case encUTF16LE:
		return decodeUTF16(bytes.TrimPrefix(data, []byte{0xFF, 0xFE}), false, encUTF16LE)
	case encUTF16BE:
		return decodeUTF16(bytes.TrimPrefix(data, []byte{0xFE, 0xFF}), true, encUTF16BE)
	case encWindows1258:
		return NFC(decode1258(data)), encWindows1258, nil
	case encTCVN3, encVNI:
		return decodeLegacyFile(data, e)
	}
	return "", "", fmt.Errorf("unknown encoding %q", enc)
}

// decodeAuto is decode with no encoding given: a byte order mark, else
// valid (or mostly valid) UTF-8, else UTF-16 by its NUL bytes, else
// Windows-1258 unless the text looks like TCVN3 or VNI.
func decodeAuto(data []byte) (text, used string, err error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return decodeUTF8(data[3:])
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeUTF16(data[2:], false, encUTF16LE)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(data[2:], true, encUTF16BE)
	case utf8.Valid(data):
		return decodeUTF8(data)
	}
	if be, ok := looksUTF16(data); ok {
		if be {
			return decodeUTF16(data, true, encUTF16BE)
		}
		return decodeUTF16(data, false, encUTF16LE)
	}
	if mostlyUTF8(data) {
		// UTF-8 with a few bad bytes is damaged UTF-8, not another
		// encoding: say where.
		return decodeUTF8(data)
	}
	t := NFC(decode1258(data))
	if _, _, legacy := detectLegacy(t); legacy || hasSuspicious(t) {
		if le, _, ok := detectLegacy(latin1(data)); ok {
			sample, decoded := firstLegacyWord(latin1(data), le)
			return "", "", &EncodingError{Encoding: "auto", Suggest: le, Sample: sample, Decoded: decoded,
				Reason: fmt.Sprintf("the file is not UTF-8 and looks like Vietnamese text in the %s encoding", legacyName(le))}
		}
	}
	return t, encWindows1258, nil
}

// decodeLegacyFile is decode with the legacy font encoding e (TCVN3 or
// VNI) forced: the file's bytes, or, when it was saved as UTF-8 or UTF-16
// already, the characters it holds, are read as that font's codes.
func decodeLegacyFile(data []byte, e string) (text, used string, err error) {
	var view string
	if utf8.Valid(data) {
		s, _, err := decodeAuto(data) // strips a BOM
		if err != nil {
			return "", "", err
		}
		view = latin1View(s)
	} else if be, ok := looksUTF16(data); ok {
		s, _, err := decodeUTF16(data, be, "")
		if err != nil {
			return "", "", err
		}
		view = latin1View(s)
	} else {
		view = latin1(data)
	}
	if e == encTCVN3 {
		return NFC(decodeTCVN3(view)), e, nil
	}
	return NFC(decodeVNI(view)), e, nil
}

func decodeUTF8(data []byte) (string, string, error) {
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		line := 1 + bytes.Count(data[:i], []byte{'\n'})
		return "", "", &EncodingError{Encoding: encUTF8, Line: line,
			Reason: fmt.Sprintf("byte 0x%02X at offset %d is not valid UTF-8; if the file was saved as Windows-1258, TCVN3 or VNI, say so with --encoding", data[i], i)}
	}
	return NFC(string(data)), encUTF8, nil
}

func decodeUTF16(data []byte, bigEndian bool, name string) (string, string, error) {
	if len(data)%2 != 0 {
		return "", "", &EncodingError{Encoding: name, Reason: fmt.Sprintf("%d bytes after the byte order mark: UTF-16 text has an even number of bytes", len(data))}
	}
	u := make([]uint16, len(data)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		} else {
			u[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
		}
	}
	line := 1
	for i := 0; i < len(u); i++ {
		c := u[i]
		if c == '\n' {
			line++
		}
		switch {
		case c >= 0xD800 && c < 0xDC00:
			if i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] < 0xE000 {
				i++
				continue
			}
			fallthrough
		case c >= 0xDC00 && c < 0xE000:
			return "", "", &EncodingError{Encoding: name, Line: line, Reason: fmt.Sprintf("unpaired surrogate 0x%04X is not valid UTF-16", c)}
		}
	}
	s := string(utf16.Decode(u))
	s = strings.TrimPrefix(s, "\uFEFF")
	return NFC(s), name, nil
}

// mostlyUTF8 reports text with many valid multi-byte UTF-8 sequences and
// at most one bad byte for five of them.
func mostlyUTF8(data []byte) bool {
	good, bad := 0, 0
	for i := 0; i < len(data); {
		if data[i] < 0x80 {
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			bad++
			i++
			continue
		}
		good++
		i += n
	}
	return good >= 3 && bad*5 <= good
}

// looksUTF16 reports UTF-16 text without a byte order mark: ASCII-heavy text
// has a NUL in every other byte.
func looksUTF16(data []byte) (bigEndian, ok bool) {
	if len(data) < 4 || len(data)%2 != 0 {
		return false, false
	}
	n := len(data)
	if n > 4096 {
		n = 4096
	}
	var even, odd int
	for i := 0; i+1 < n; i += 2 {
		if data[i] == 0 {
			even++
		}
		if data[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd*10 >= pairs*3 && even*10 < pairs:
		return false, true
	case even*10 >= pairs*3 && odd*10 < pairs:
		return true, true
	}
	return false, false
}

func decode1258(data []byte) string {
	d := charmap.Windows1258.NewDecoder()
	out, err := d.Bytes(data)
	if err != nil { // cannot happen for a single-byte charmap
		return string(data)
	}
	return string(out)
}

// latin1 maps each byte to the rune of the same number, as legacy font
// encodings are seen through Latin-1.
func latin1(data []byte) string {
	var b strings.Builder
	b.Grow(len(data) * 2)
	for _, c := range data {
		b.WriteRune(rune(c))
	}
	return b.String()
}

// cp1252 gives the byte of the Windows-1252 characters at 0x80–0x9F, so
// that legacy text saved through Windows-1252 maps back to its bytes.
var cp1252 = map[rune]byte{}

func init() {
	d := charmap.Windows1252.NewDecoder()
	for c := 0x80; c < 0xA0; c++ {
		out, err := d.Bytes([]byte{byte(c)})
		if err != nil {
			continue
		}
		r, _ := utf8.DecodeRune(out)
		if r != utf8.RuneError && r > 0xFF {
			cp1252[r] = byte(c)
		}
	}
}

// latin1View returns s with the Windows-1252 characters mapped back to
// the runes 0x80–0x9F, so that every rune of legacy text is its byte.
func latin1View(s string) string {
	return strings.Map(func(r rune) rune {
		if c, ok := cp1252[r]; ok {
			return rune(c)
		}
		return r
	}, s)
}

// tcvn3 maps the bytes of TCVN3 (ABC) to Unicode. Bytes not listed are
// ASCII or unused and stay as they are. Upper-case letters with tone marks
// do not exist in TCVN3 (the ".VnTimeH" fonts draw the lower-case codes as
// capitals), so they decode to lower case.
var tcvn3 = map[rune]rune{
	0xB5: 'à', 0xB8: 'á', 0xB6: 'ả', 0xB7: 'ã', 0xB9: 'ạ',
	0xA8: 'ă', 0xBB: 'ằ', 0xBE: 'ắ', 0xBC: 'ẳ', 0xBD: 'ẵ', 0xC6: 'ặ',
	0xA9: 'â', 0xC7: 'ầ', 0xCA: 'ấ', 0xC8: 'ẩ', 0xC9: 'ẫ', 0xCB: 'ậ',
	0xAE: 'đ', 0xCC: 'è', 0xD0: 'é', 0xCE: 'ẻ', 0xCF: 'ẽ', 0xD1: 'ẹ',
	0xAA: 'ê', 0xD2: 'ề', 0xD5: 'ế', 0xD3: 'ể', 0xD4: 'ễ', 0xD6: 'ệ',
	0xD7: 'ì', 0xDD: 'í', 0xD8: 'ỉ', 0xDC: 'ĩ', 0xDE: 'ị',
	0xDF: 'ò', 0xE3: 'ó', 0xE1: 'ỏ', 0xE2: 'õ', 0xE4: 'ọ',
	0xAB: 'ô', 0xE5: 'ồ', 0xE8: 'ố', 0xE6: 'ổ', 0xE7: 'ỗ', 0xE9: 'ộ',
	0xAC: 'ơ', 0xEA: 'ờ', 0xED: 'ớ', 0xEB: 'ở', 0xEC: 'ỡ', 0xEE: 'ợ',
	0xEF: 'ù', 0xF3: 'ú', 0xF1: 'ủ', 0xF2: 'ũ', 0xF4: 'ụ',
	0xAD: 'ư', 0xF5: 'ừ', 0xF8: 'ứ', 0xF6: 'ử', 0xF7: 'ữ', 0xF9: 'ự',
	0xFA: 'ỳ', 0xFD: 'ý', 0xFB: 'ỷ', 0xFC: 'ỹ', 0xFE: 'ỵ',
	0xA1: 'Ă', 0xA2: 'Â', 0xA7: 'Đ', 0xA3: 'Ê', 0xA4: 'Ô', 0xA5: 'Ơ', 0xA6: 'Ư',
}

// decodeTCVN3 reads s, whose runes are TCVN3 bytes (as Latin-1 shows
// them: "B¾c K¹n"), as Unicode ("Bắc Kạn"). Runes above 0xFF are kept.
func decodeTCVN3(s string) string {
	return strings.Map(func(r rune) rune {
		if u, ok := tcvn3[r]; ok {
			return u
		}
		return r
	}, s)
}

// VNI Windows writes a letter with marks as the base letter followed by a
// byte for the marks ("aù" = á, "aâ" = â, "aá" = ấ); a few letters have a
// byte of their own (ñ = đ, ô = ơ, ö = ư, í = í, ì = ì, æ = ỉ, ó = ĩ,
// ò = ị, î = ỵ). Upper-case forms are the same bytes less 0x20.
var (
	vniMarks = map[rune]string{
		0xF9: "\u0301", 0xF8: "\u0300", 0xFB: "\u0309", 0xF5: "\u0303", 0xEF: "\u0323", // tones
		0xE2: "\u0302", 0xE1: "\u0302\u0301", 0xE0: "\u0302\u0300", 0xE5: "\u0302\u0309", 0xE3: "\u0302\u0303", 0xE4: "\u0302\u0323",
		0xEA: "\u0306", 0xE9: "\u0306\u0301", 0xE8: "\u0306\u0300", 0xFA: "\u0306\u0309", 0xFC: "\u0306\u0303", 0xEB: "\u0306\u0323",
	}
	vniLetters = map[rune]rune{
		0xF1: 'đ', 0xD1: 'Đ', 0xF4: 'ơ', 0xD4: 'Ơ', 0xF6: 'ư', 0xD6: 'Ư',
		0xED: 'í', 0xCD: 'Í', 0xEC: 'ì', 0xCC: 'Ì', 0xE6: 'ỉ', 0xC6: 'Ỉ',
		0xF3: 'ĩ', 0xD3: 'Ĩ', 0xF2: 'ị', 0xD2: 'Ị', 0xEE: 'ỵ', 0xCE: 'Ỵ',
	}
)

// vniMark returns the combining marks of a VNI mark rune (either case).
func vniMark(r rune) (string, bool) {
	if m, ok := vniMarks[r]; ok {
		return m, true
	}
	if r >= 0xC0 && r < 0xE0 {
		m, ok := vniMarks[r+0x20]
		return m, ok
	}
	return "", false
}

// decodeVNI reads s, whose runes are VNI Windows bytes (as Latin-1 shows
// them: "Baéc Kaïn"), as Unicode ("Bắc Kạn"). Runes above 0xFF are kept.
func decodeVNI(s string) string {
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		base := r
		if l, ok := vniLetters[r]; ok {
			base = l
		}
		if isVNIVowel(base) && i+1 < len(rs) {
			if m, ok := vniMark(rs[i+1]); ok && markFits(base, m) {
				b.WriteString(norm.NFC.String(string(base) + m))
				i++
				continue
			}
		}
		b.WriteRune(base)
	}
	return b.String()
}

func isVNIVowel(r rune) bool {
	return strings.ContainsRune("aeouyAEOUYơưƠƯ", r)
}

// markFits reports whether the marks m can sit on base: a circumflex on a,
// e, o; a breve on a; tones on any vowel.
func markFits(base rune, m string) bool {
	switch {
	case strings.HasPrefix(m, "\u0302"):
		return strings.ContainsRune("aeoAEO", base)
	case strings.HasPrefix(m, "\u0306"):
		return base == 'a' || base == 'A'
	}
	return true
}

// vietLatin1 holds the Latin-1 letters Vietnamese uses.
const vietLatin1 = "àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ"

// suspicious reports a rune that Latin-1 or Windows-125x shows for a legacy
// font byte but that Vietnamese text never holds: ¾ ¹ Æ ñ ï ø ...
func suspicious(r rune) bool {
	if r < 0xA1 || r > 0xFF {
		return false
	}
	return !strings.ContainsRune(vietLatin1, r)
}

func hasSuspicious(s string) bool {
	return strings.IndexFunc(s, suspicious) >= 0
}

// wordSep splits words for legacy detection: ASCII spaces and punctuation
// only, since legacy bytes show as Latin-1 symbols (§ · « ¬ ­ ×).
func wordSep(r rune) bool {
	return r < 0x80 && !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
}

// vietSpecific reports a letter Vietnamese has beyond Latin-1.
func vietSpecific(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r > 0xFF }) >= 0
}

// vniPair reports the VNI signature of a letter a or e followed by a Latin-1
// Vietnamese letter (no Vietnamese word has "aù", "aâ", "eâ").
func vniPair(w []rune) bool {
	for i := 0; i+1 < len(w); i++ {
		if strings.ContainsRune("aeAE", w[i]) && strings.ContainsRune(vietLatin1, w[i+1]) {
			return true
		}
	}
	return false
}

// legacyScore counts the words of s (a Latin-1 view) that TCVN3 and VNI
// would turn into clean Vietnamese: words with runes Vietnamese never holds
// (or the VNI letter pairs), which decode to words with a letter beyond
// Latin-1 and nothing suspicious left.
func legacyScore(s string) (tc, vn, afterVowel, sus int) {
	for _, w := range strings.FieldsFunc(latin1View(s), wordSep) {
		rs := []rune(w)
		n := 0
		for i, r := range rs {
			if suspicious(r) {
				n++
				if i > 0 && strings.ContainsRune("aeiouyAEIOUY", rs[i-1]) {
					afterVowel++
				}
			}
		}
		if vietSpecific(w) || (n == 0 && !vniPair(rs)) || strings.IndexFunc(w, isASCIILetter) < 0 {
			continue
		}
		sus += n
		if d := decodeTCVN3(w); n > 0 && plausible(w, d) {
			tc++
		}
		if d := decodeVNI(w); plausible(w, d) {
			vn++
		}
	}
	return
}

// plausible reports whether d, the decoding of word w, reads as a
// Vietnamese word: changed, nothing suspicious left, no f, j, w or z (not in
// the Vietnamese alphabet) and at most one tone mark.
func plausible(w, d string) bool {
	if d == w || hasSuspicious(d) || strings.ContainsAny(strings.ToLower(d), "fjwz") {
		return false
	}
	tones := 0
	for _, r := range norm.NFD.String(d) {
		switch r {
		case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
			tones++
		}
	}
	return tones <= 1
}

func chooseLegacy(tc, vn, afterVowel, sus int) (string, bool) {
	switch {
	case tc == 0 && vn == 0:
		return "", false
	case tc > vn:
		return encTCVN3, true
	case vn > tc:
		return encVNI, true
	case afterVowel*2 > sus:
		return encVNI, true
	}
	return encTCVN3, true
}

// detectLegacy reports whether s looks like Vietnamese text in a legacy
// font encoding read as Latin-1 or Windows-1252/1258, as old spreadsheets
// give it: TCVN3 ("B¾c K¹n" for "Bắc Kạn") or VNI ("Baéc Kaïn"). enc is
// encTCVN3 or encVNI and decoded is s read with it.
func detectLegacy(s string) (enc, decoded string, ok bool) {
	enc, ok = chooseLegacy(legacyScore(s))
	if !ok {
		return "", "", false
	}
	if enc == encTCVN3 {
		return enc, NFC(decodeTCVN3(latin1View(s))), true
	}
	return enc, NFC(decodeVNI(latin1View(s))), true
}

// legacyDetector accumulates legacy-encoding evidence over many strings
// (the cells of a file), so that the decision is taken on the whole file.
type legacyDetector struct {
	tc, vn, afterVowel, sus int
	// memo keeps the scores of texts seen (a file repeats its unit names
	// and notes on every row), up to maxLegacyMemo of them.
	memo map[string][4]int
}

const maxLegacyMemo = 4096

// add scores s and reports whether it alone looks like legacy text.
func (d *legacyDetector) add(s string) bool {
	if isASCII(s) {
		return false // legacy font bytes are all beyond ASCII
	}
	sc, ok := d.memo[s]
	if !ok {
		sc[0], sc[1], sc[2], sc[3] = legacyScore(s)
		if d.memo == nil {
			d.memo = map[string][4]int{}
		}
		if len(d.memo) < maxLegacyMemo {
			d.memo[s] = sc
		}
	}
	tc, vn, av, sus := sc[0], sc[1], sc[2], sc[3]
	d.tc += tc
	d.vn += vn
	d.afterVowel += av
	d.sus += sus
	return tc+vn > 0
}

// result returns the encoding the evidence points to, if any. One odd
// word ("x×y") is not enough: it takes two words that decode cleanly.
func (d *legacyDetector) result() (string, bool) {
	if d.tc < 2 && d.vn < 2 {
		return "", false
	}
	return chooseLegacy(d.tc, d.vn, d.afterVowel, d.sus)
}

// decodeLegacy reads s (a Latin-1 view of legacy bytes) with enc.
func decodeLegacy(s, enc string) string {
	switch enc {
	case encTCVN3:
		return NFC(decodeTCVN3(latin1View(s)))
	case encVNI:
		return NFC(decodeVNI(latin1View(s)))
	}
	return s
}

func legacyName(enc string) string {
	switch enc {
	case encTCVN3:
		return "TCVN3 (.VnTime font)"
	case encVNI:
		return "VNI (VNI-Times font)"
	}
	return enc
}

// legacyError returns the error for legacy text sample found where Unicode
// was expected.
func legacyError(used, enc, sample string) *EncodingError {
	return &EncodingError{Encoding: used, Suggest: enc, Sample: sample, Decoded: decodeLegacy(sample, enc),
		Reason: fmt.Sprintf("text looks like Vietnamese in the %s encoding, read as %s; refusing to load it garbled", legacyName(enc), used)}
}

// firstLegacyWord returns the first stretch of s around a word that looks
// like legacy text, and its decoding with enc, for messages.
func firstLegacyWord(s, enc string) (string, string) {
	for _, line := range strings.Split(s, "\n") {
		for _, f := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ';' || r == '\t' || r == '"' }) {
			tc, vn, _, _ := legacyScore(f)
			if tc+vn > 0 {
				f = strings.TrimSpace(f)
				return f, decodeLegacy(f, enc)
			}
		}
	}
	return "", ""
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
