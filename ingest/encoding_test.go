package ingest

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// encodeTCVN3 writes s in TCVN3 (the inverse of the decoding table), for
// building test files.
func encodeTCVN3(t testing.TB, s string) []byte {
	inv := map[rune]byte{}
	for b, r := range tcvn3 {
		inv[r] = byte(b)
	}
	var out []byte
	for _, r := range norm.NFC.String(s) {
		switch {
		case r < 0x80:
			out = append(out, byte(r))
		case inv[r] != 0:
			out = append(out, inv[r])
		default:
			t.Fatalf("encodeTCVN3: %q has no TCVN3 byte", r)
		}
	}
	return out
}

func encode1258(t testing.TB, s string) []byte {
	// Windows-1258 has few precomposed letters: write the others as a base
	// letter (with its circumflex, breve or horn) and a combining tone mark,
	// as Windows does.
	enc := charmap.Windows1258.NewEncoder()
	var out []byte
	for _, r := range norm.NFC.String(s) {
		if b, err := enc.Bytes([]byte(string(r))); err == nil {
			out = append(out, b...)
			continue
		}
		var base, tones []rune
		for _, m := range norm.NFD.String(string(r)) {
			switch m {
			case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
				tones = append(tones, m)
			default:
				base = append(base, m)
			}
		}
		b, err := enc.Bytes([]byte(norm.NFC.String(string(base))))
		if err != nil {
			t.Fatalf("encode1258: cannot write %q", r)
		}
		out = append(out, b...)
		for _, m := range tones {
			bm, err := enc.Bytes([]byte(string(m)))
			if err != nil {
				t.Fatalf("encode1258: cannot write %q", m)
			}
			out = append(out, bm...)
		}
	}
	return out
}

func encodeUTF16(s string, bigEndian, bom bool) []byte {
	var out []byte
	u := utf16.Encode([]rune(s))
	if bom {
		u = append([]uint16{0xFEFF}, u...)
	}
	for _, c := range u {
		if bigEndian {
			out = append(out, byte(c>>8), byte(c))
		} else {
			out = append(out, byte(c), byte(c>>8))
		}
	}
	return out
}

const vietText = "Thành phố Bắc Kạn, Pác Nặm, Ba Bể, Ngân Sơn, Bạch Thông, Chợ Đồn, Chợ Mới, Na Rì; Số xã đạt chuẩn nông thôn mới (lũy kế); Tỷ lệ hộ nghèo; Đơn vị; Kỳ báo cáo; Giá trị; Thực hiện; Công dân nhập ngũ (tuyển quân)"

func TestDecode(t *testing.T) {
	nfd := norm.NFD.String(vietText)
	w1258 := encode1258(t, vietText)
	if bytes.Equal(w1258, []byte(vietText)) || !bytes.Contains(w1258, []byte{0xEC}) && !bytes.Contains(w1258, []byte{0xF2}) {
		t.Fatalf("Windows-1258 test bytes do not use combining marks: % x", w1258[:40])
	}
	tests := []struct {
		name, enc string
		data      []byte
		used      string
	}{
		{"utf-8", "", []byte(vietText), encUTF8},
		{"utf-8 NFD", "", []byte(nfd), encUTF8},
		{"utf-8 BOM", "", append([]byte{0xEF, 0xBB, 0xBF}, vietText...), encUTF8},
		{"utf-8 BOM forced", "UTF-8", append([]byte{0xEF, 0xBB, 0xBF}, vietText...), encUTF8},
		{"utf-16le BOM", "", encodeUTF16(vietText, false, true), encUTF16LE},
		{"utf-16be BOM", "", encodeUTF16(vietText, true, true), encUTF16BE},
		{"utf-16le no BOM", "", encodeUTF16(vietText, false, false), encUTF16LE},
		{"utf-16 forced", "utf-16", encodeUTF16(vietText, true, true), encUTF16BE},
		{"utf-16le forced", "utf-16le", encodeUTF16(vietText, false, true), encUTF16LE},
		{"windows-1258 detected", "", w1258, encWindows1258},
		{"windows-1258 forced", "cp1258", w1258, encWindows1258},
		{"tcvn3 bytes", "tcvn3", encodeTCVN3(t, vietText), encTCVN3},
		{"tcvn3 as utf-8", "tcvn3", []byte(latin1(encodeTCVN3(t, vietText))), encTCVN3},
	}
	for _, tt := range tests {
		got, used, err := decode(tt.data, tt.enc)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if used != tt.used {
			t.Errorf("%s: used %s, want %s", tt.name, used, tt.used)
		}
		if got != vietText {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, vietText)
		}
	}
}

func TestDecodeRefusals(t *testing.T) {
	tests := []struct {
		name, enc string
		data      []byte
		want      string // error text
	}{
		{"tcvn3 bytes", "", encodeTCVN3(t, "Đơn vị,Chỉ tiêu\nBắc Kạn,Trồng rừng\n"),
			`the file is not UTF-8 and looks like Vietnamese text in the TCVN3 (.VnTime font) encoding ("§¬n vÞ" would read "Đơn vị"); read the file again with --encoding tcvn3`},
		{"bad utf-8", "utf-8", []byte("a,b\nc,\xff\n"),
			"byte 0xFF at offset 6 is not valid UTF-8; if the file was saved as Windows-1258, TCVN3 or VNI, say so with --encoding"},
		{"damaged utf-8", "", []byte("Đơn vị,Chỉ tiêu\nPác Nặm,Trồng rừng\nBa B\xbb\n"),
			"byte 0xBB at offset 53 is not valid UTF-8; if the file was saved as Windows-1258, TCVN3 or VNI, say so with --encoding"},
		{"odd utf-16", "utf-16le", []byte{0xFF, 0xFE, 'a', 0, 'b'}, "3 bytes after the byte order mark: UTF-16 text has an even number of bytes"},
		{"surrogate", "utf-16le", []byte{'a', 0, '\n', 0, 0x00, 0xDC}, "unpaired surrogate 0xDC00 is not valid UTF-16"},
	}
	for _, tt := range tests {
		_, _, err := decode(tt.data, tt.enc)
		var ee *EncodingError
		if !errors.As(err, &ee) || err.Error() != tt.want || (tt.name == "bad utf-8" || tt.name == "surrogate") && ee.Line != 2 || tt.name == "damaged utf-8" && ee.Line != 3 {
			t.Errorf("%s: error\n got %v\nwant %s", tt.name, err, tt.want)
		}
	}
	if _, _, err := decode([]byte("x"), "latin-9"); err == nil {
		t.Error("unknown encoding accepted")
	}
}

func TestLegacy(t *testing.T) {
	tests := []struct {
		in, enc, want string
	}{
		{"B¾c K¹n", encTCVN3, "Bắc Kạn"},
		{"Céng hoµ x· héi chñ nghÜa ViÖt Nam", encTCVN3, "Cộng hoà xã hội chủ nghĩa Việt Nam"},
		{"§éc lËp - Tù do - H¹nh phóc", encTCVN3, "Độc lập - Tự do - Hạnh phúc"},
		{"P¸c NÆm", encTCVN3, "Pác Nặm"},
		{"Ng\u00adêi", encTCVN3, "Người"},
		{"Baéc Kaïn", encVNI, "Bắc Kạn"},
		{"Thaønh phoá Hoà Chí Minh", encVNI, "Thành phố Hồ Chí Minh"},
		{"Chôï Ñoàn", encVNI, "Chợ Đồn"},
		{"Paùc Naëm", encVNI, "Pác Nặm"},
		{"Ngaân Sôn", encVNI, "Ngân Sơn"},
		{"Ba Beå", encVNI, "Ba Bể"},
		{"Möôøng", encVNI, "Mường"},
		{"THAØNH PHOÁ", encVNI, "THÀNH PHỐ"},
		{"Kyø baùo caùo", encVNI, "Kỳ báo cáo"},
	}
	for _, tt := range tests {
		enc, dec, ok := detectLegacy(tt.in)
		if !ok || enc != tt.enc || dec != tt.want {
			t.Errorf("detectLegacy(%q) = %q, %q, %v; want %q, %q", tt.in, enc, dec, ok, tt.enc, tt.want)
		}
	}
	// Real Unicode Vietnamese and ordinary text are not legacy.
	for _, s := range []string{vietText, norm.NFD.String(vietText), "Hoà Bình", "quà quá quân muôn", "Diện tích (m²)", "25°C", "Na Rì", "x × y", "São Paulo", "Zürich", "«Trích»", "2020-06", "1.234,5", "Thị xã Bắc Kạn"} {
		if enc, dec, ok := detectLegacy(s); ok {
			t.Errorf("detectLegacy(%q) = %q, %q: want not legacy", s, enc, dec)
		}
	}
	// Every Vietnamese letter survives a TCVN3 round trip.
	all := "aàáảãạăằắẳẵặâầấẩẫậđeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵĂÂĐÊÔƠƯ"
	if got := decodeTCVN3(latin1(encodeTCVN3(t, all))); got != all {
		t.Errorf("TCVN3 round trip:\n got %q\nwant %q", got, all)
	}
}
