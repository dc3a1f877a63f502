package ingest

import (
	"encoding/csv"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/thidua/thidua"
)

// Messages for the office that sent a refused file (the NAME.errors.txt of
// the inbox): for each problem, where (the cell, or the line and column),
// what is wrong and what to do, in words a district clerk acts on, chosen
// by the problem's typed cause (errors.Is / errors.As, never its text);
// then the technical detail, for the cluster's secretary. The words are in
// officeWords, one table per language, in this file only.

// officeKind names one kind of problem the office is told about.
type officeKind int

const (
	kindOther officeKind = iota
	kindDamaged
	kindOldFormat
	kindTooLarge
	kindFormula
	kindAmbiguousNumber
	kindPacked
	kindPercent
	kindNotNumber
	kindNumberRange
	kindEmpty
	kindMissingColumn
	kindDuplicateColumn
	kindUnknownUnit
	kindUnknownIndicator
	kindAmbiguousName
	kindMeasure
	kindNotInPeriod
	kindDisagree
	kindUnknownBasis
	kindOutOfBounds
	kindFuture
	kindNoTarget
	kindConflict
	kindTwice
	kindNoData
	kindMalformed
	kindEncoding
	kindPeriod
	kindNotPlainFile
	kindPeriodYTD
	kindNotThisForm
	kindEmptyForm
	kindNoTable
	kindFormPeriod
	kindFormUnit
	kindBelowSignature
	kindNoName
	kindNoHeader
)

// officeKinds decides a problem's kind from its cause, first match wins:
// the more specific causes come before the kinds they also wrap.
var officeKinds = []struct {
	kind officeKind
	is   func(error) bool
}{
	{kindDamaged, isErr(ErrDamaged)},
	{kindOldFormat, isErr(ErrOldFormat)},
	{kindTooLarge, func(err error) bool { return errors.Is(err, ErrTooLarge) || errors.Is(err, ErrZipBomb) }},
	{kindNotPlainFile, isErr(ErrNotPlainFile)},
	{kindFormula, isErr(ErrFormula)},
	{kindNotThisForm, isErr(ErrNotThisForm)},
	{kindEmptyForm, isErr(ErrEmptyForm)},
	{kindNoTable, isErr(ErrNoTable)},
	{kindFormPeriod, isErr(ErrFormPeriod)},
	{kindFormUnit, isErr(ErrFormUnit)},
	{kindBelowSignature, isErr(ErrBelowSignature)},
	{kindNoName, isErr(ErrNoName)},
	{kindNoHeader, isErr(ErrNoHeader)},
	{kindPeriodYTD, isErr(ErrPeriodYTD)},
	{kindEncoding, func(err error) bool { var e *EncodingError; return errors.As(err, &e) }},
	{kindAmbiguousNumber, isErr(ErrAmbiguous)},
	{kindPacked, isErr(ErrPacked)},
	{kindPercent, isErr(ErrPercent)},
	{kindNotNumber, isErr(ErrSyntax)},
	{kindNumberRange, isErr(ErrRange)},
	{kindEmpty, func(err error) bool { return errors.Is(err, ErrEmpty) || errors.Is(err, ErrMissingValue) }},
	{kindMissingColumn, isErr(ErrMissingColumn)},
	{kindDuplicateColumn, isErr(ErrDuplicateColumn)},
	{kindMeasure, isErr(ErrMeasure)},
	{kindAmbiguousName, isErr(ErrAmbiguousName)},
	{kindNotInPeriod, isErr(ErrNotInPeriod)},
	{kindUnknownUnit, isErr(ErrUnknownUnit)},
	{kindUnknownIndicator, isErr(ErrUnknownIndicator)},
	{kindDisagree, isErr(ErrDisagree)},
	{kindUnknownBasis, isErr(ErrUnknownBasis)},
	{kindOutOfBounds, isErr(ErrOutOfBounds)},
	{kindFuture, isErr(ErrFuture)},
	{kindNoTarget, isErr(ErrNoTarget)},
	{kindConflict, isErr(ErrConflict)},
	{kindTwice, isErr(ErrTwice)},
	{kindNoData, isErr(ErrNoData)},
	{kindMalformed, func(err error) bool { var e *csv.ParseError; return errors.Is(err, ErrMalformed) || errors.As(err, &e) }},
	{kindPeriod, func(err error) bool { var e *thidua.PeriodError; return errors.As(err, &e) }},
}

func isErr(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

// kindOf returns the kind of a problem's cause.
func kindOf(err error) officeKind {
	for _, k := range officeKinds {
		if k.is(err) {
			return k.kind
		}
	}
	return kindOther
}

// officeMsg is what an office is told about one kind of problem: what is
// wrong and what to do.
type officeMsg struct{ What, Do string }

// officeLang is the wording of the office report in one language.
type officeLang struct {
	Kinds map[officeKind]officeMsg
	// The header: the file's name and the number of problems.
	Header func(file string, n int) string
	// Whole: a problem about the whole file; Sheet: about a sheet; Cell: a
	// spreadsheet cell; Line: a line (and column) of a text file.
	Whole string
	Sheet func(sheet string) string
	Cell  func(sheet, cell string) string
	Line  func(line int, column string) string
	// Quoted: the cell's text shown after What, when the cause keeps it.
	Quoted  func(text string) string
	Do      string // the label before the advice
	Details string // the heading of the technical detail
}

// officeWords holds every word of the office report, one table per
// language.
var officeWords = map[string]officeLang{
	"vi": {
		Kinds: map[officeKind]officeMsg{
			kindDamaged:          {"Tệp bị hỏng hoặc gửi chưa hết.", "Xin gửi lại tệp (gửi lại bản đã lưu trên máy, chờ gửi xong rồi mới đóng thư)."},
			kindOldFormat:        {"Tệp là sổ Excel đời cũ (.xls) hoặc có đặt mật khẩu, nên không đọc được.", "Mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu \"Excel Workbook (.xlsx)\", không đặt mật khẩu, rồi gửi lại."},
			kindTooLarge:         {"Tệp quá lớn so với một báo cáo.", "Chỉ gửi biểu báo cáo của đơn vị (xóa các trang, ảnh không cần thiết), rồi gửi lại."},
			kindNotPlainFile:     {"Đây không phải một tệp thông thường (lối tắt hoặc liên kết).", "Gửi chính tệp báo cáo, không gửi lối tắt."},
			kindFormula:          {"Ô có công thức nhưng chưa có kết quả tính.", "Mở tệp bằng Excel, bấm Lưu rồi gửi lại; hoặc gõ thẳng con số vào ô."},
			kindEncoding:         {"Chữ tiếng Việt trong tệp dùng bảng mã cũ (phông .VnTime hoặc VNI), đọc ra sẽ sai chữ.", "Chuyển văn bản sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey) hoặc điền vào biểu mẫu .xlsx của cụm, rồi gửi lại."},
			kindAmbiguousNumber:  {"Con số có thể hiểu theo hai cách (dấu chấm, dấu phẩy là phân cách hàng nghìn hay phần thập phân).", "Viết số theo một kiểu: 1.234,5 hoặc 1234,5 (dấu phẩy trước phần thập phân), và viết mọi số trong tệp cùng một kiểu."},
			kindPacked:           {"Một ô ghi hai số.", "Mỗi ô chỉ ghi một số; kế hoạch và thực hiện ghi vào đúng cột của chúng."},
			kindPercent:          {"Ô có dấu %, nhưng chỉ tiêu này không tính bằng phần trăm.", "Ghi con số (không kèm dấu %) theo đơn vị tính của chỉ tiêu."},
			kindNotNumber:        {"Ô này phải là một con số.", "Chỉ ghi số, không kèm chữ hay đơn vị tính (ví dụ 12, không ghi \"12 triệu\"); ghi chú xin ghi vào cột Ghi chú."},
			kindNumberRange:      {"Con số quá lớn, không đọc được.", "Kiểm tra lại con số."},
			kindEmpty:            {"Ô này còn trống nhưng cần có nội dung.", "Điền vào ô này (số liệu, tên đơn vị, chỉ tiêu hoặc kỳ báo cáo)."},
			kindMissingColumn:    {"Thiếu một cột cần có.", "Dùng biểu mẫu của cụm, không xóa hay đổi tên cột."},
			kindDuplicateColumn:  {"Hai cột cùng ghi một nội dung.", "Giữ một cột, xóa cột kia."},
			kindUnknownUnit:      {"Không nhận ra tên đơn vị.", "Ghi tên đơn vị như trong biểu mẫu của cụm (ví dụ: Huyện Pác Nặm) hoặc mã đơn vị."},
			kindUnknownIndicator: {"Không nhận ra tên chỉ tiêu.", "Giữ nguyên tên chỉ tiêu như trong biểu mẫu của cụm; không sửa cột Chỉ tiêu."},
			kindAmbiguousName:    {"Tên này giống nhiều đơn vị hoặc chỉ tiêu, không biết là cái nào.", "Ghi đầy đủ tên như trong biểu mẫu của cụm."},
			kindMeasure:          {"Đơn vị tính khác với đơn vị tính của chỉ tiêu.", "Đổi số liệu sang đơn vị tính của biểu mẫu (ví dụ triệu đồng, ha) và giữ nguyên cột ĐVT."},
			kindNotInPeriod:      {"Đơn vị này không tồn tại trong kỳ báo cáo.", "Kiểm tra lại kỳ báo cáo và tên đơn vị."},
			kindDisagree:         {"Mã và tên không cùng chỉ một đơn vị (hoặc chỉ tiêu).", "Sửa cho mã và tên khớp nhau."},
			kindUnknownBasis:     {"Cách tính không rõ.", "Ghi \"trong kỳ\" hoặc \"lũy kế\"."},
			kindOutOfBounds:      {"Con số không hợp lệ cho chỉ tiêu này (âm, có phần lẻ ở một số đếm, hoặc vượt giới hạn).", "Kiểm tra lại con số: số đếm là số nguyên không âm, tỷ lệ không quá giới hạn."},
			kindFuture:           {"Kỳ báo cáo chưa kết thúc.", "Kiểm tra lại kỳ báo cáo (tháng, quý, năm)."},
			kindNoTarget:         {"Chỉ tiêu này không giao kế hoạch năm.", "Để trống ô kế hoạch của chỉ tiêu này."},
			kindConflict:         {"Cùng một số liệu được ghi hai lần với hai giá trị khác nhau.", "Giữ giá trị đúng, xóa giá trị kia."},
			kindTwice:            {"Một đơn vị hoặc chỉ tiêu được ghi hai lần.", "Xóa dòng (hoặc cột) trùng."},
			kindNoData:           {"Tệp không có số liệu.", "Điền số liệu vào biểu mẫu rồi gửi lại."},
			kindMalformed:        {"Tệp CSV bị lỗi định dạng (số cột không đều, dấu ngoặc kép thừa).", "Mở tệp bằng Excel và lưu lại, hoặc điền vào biểu mẫu .xlsx của cụm, rồi gửi lại."},
			kindPeriod:           {"Không đọc được kỳ báo cáo.", "Ghi kỳ báo cáo như: Tháng 6/2020, Quý II/2020, 6 tháng đầu năm 2020, Năm 2020."},
			kindPeriodYTD:        {"Số Thực hiện và số Lũy kế của chỉ tiêu này không khớp nhau (ví dụ số trong kỳ lớn hơn số lũy kế từ đầu năm, hoặc kỳ tính từ tháng 1 mà hai số khác nhau).", "Kiểm tra lại hai ô: số lũy kế từ đầu năm gồm cả số trong kỳ; với kỳ tính từ tháng 1 (quý I, 6 tháng đầu năm, cả năm) và với chỉ tiêu tính đến cuối kỳ, hai số phải bằng nhau."},
			kindNotThisForm:      {"Biểu mẫu này được lập cho đơn vị, kỳ báo cáo (hoặc cụm thi đua) khác với nội dung đang ghi trên biểu.", "Điền vào đúng biểu mẫu cụm đã gửi cho đơn vị và kỳ báo cáo này, không sửa ô đơn vị, kỳ báo cáo; cần biểu mẫu khác xin hỏi thư ký cụm."},
			kindEmptyForm:        {"Biểu mẫu chưa có số liệu nào (các cột Thực hiện, Lũy kế, Kế hoạch năm đều trống).", "Điền số liệu vào biểu mẫu rồi gửi lại."},
			kindNoTable:          {"Không tìm thấy bảng số liệu theo mẫu (cột Chỉ tiêu hoặc Đơn vị, và cột Kế hoạch năm, Thực hiện hoặc Lũy kế).", "Dùng biểu mẫu của cụm, không xóa, đổi tên hay chuyển các cột, rồi gửi lại."},
			kindFormPeriod:       {"Không xác định được một kỳ báo cáo của biểu (thiếu dòng kỳ báo cáo, dòng đó còn trống, hoặc ghi hai kỳ khác nhau).", "Ghi một dòng \"Kỳ báo cáo: 6 tháng đầu năm 2020\" phía trên bảng, đúng kỳ cụm yêu cầu, và để các cột số liệu cùng một kỳ."},
			kindFormUnit:         {"Không xác định được đơn vị báo cáo (thiếu dòng đơn vị, dòng đó còn trống, hoặc ghi hai đơn vị khác nhau).", "Ghi một dòng \"Đơn vị báo cáo: Huyện Pác Nặm\" phía trên bảng, đúng tên đơn vị mình."},
			kindBelowSignature:   {"Có dòng số liệu nằm dưới phần chữ ký.", "Chuyển dòng đó lên trong bảng, phía trên phần chữ ký, rồi gửi lại."},
			kindNoName:           {"Dòng có số liệu nhưng không có tên chỉ tiêu (hoặc tên đơn vị).", "Ghi tên vào dòng đó như trong biểu mẫu của cụm, hoặc xóa số liệu thừa."},
			kindNoHeader:         {"Có số nằm trong một cột không có tiêu đề.", "Ghi tiêu đề cho cột đó (Kế hoạch năm, Thực hiện, Lũy kế) hoặc xóa số thừa."},
			kindOther:            {"Có lỗi ở đây.", "Xem chi tiết kỹ thuật ở cuối thư, hoặc hỏi thư ký cụm thi đua."},
		},
		Header: func(file string, n int) string {
			return fmt.Sprintf("Tệp %q chưa được nhận vì có %d lỗi. Xin sửa các lỗi dưới đây rồi gửi lại cả tệp.", file, n)
		},
		Whole:   "Cả tệp",
		Sheet:   func(s string) string { return fmt.Sprintf("Trang %q", s) },
		Cell:    func(s, c string) string { return fmt.Sprintf("Ô %s (trang %q)", c, s) },
		Line:    lineWords("Dòng %d", "cột %q"),
		Quoted:  func(t string) string { return fmt.Sprintf("Trong ô ghi: %q.", t) },
		Do:      "Cách sửa:",
		Details: "Chi tiết kỹ thuật (dành cho thư ký cụm):",
	},
	"en": {
		Kinds: map[officeKind]officeMsg{
			kindDamaged:          {"The file is damaged or incomplete.", "Please send it again (the copy saved on your computer; wait until the upload has finished)."},
			kindOldFormat:        {"The file is an old Excel workbook (.xls) or is password-protected, so it cannot be read.", "Open it in Excel, Save As \"Excel Workbook (.xlsx)\" without a password, and send it again."},
			kindTooLarge:         {"The file is too large for a report.", "Send only the unit's report form (remove other sheets and pictures) and send it again."},
			kindNotPlainFile:     {"This is not an ordinary file (a shortcut or link).", "Send the report file itself, not a shortcut."},
			kindFormula:          {"The cell holds a formula that has not been calculated.", "Open the file in Excel, save it and send it again; or type the number into the cell."},
			kindEncoding:         {"The Vietnamese text is in an old encoding (.VnTime or VNI fonts) and would read wrongly.", "Convert the text to Unicode (for instance with Unikey's converter) or fill in the cluster's .xlsx form, and send it again."},
			kindAmbiguousNumber:  {"The number can be read two ways (is the dot or comma a thousands separator or the decimal point?).", "Write numbers one way: 1.234,5 or 1234,5 (a comma before the decimals), every number of the file alike."},
			kindPacked:           {"Two numbers in one cell.", "Put one number in each cell; the target and the actual value each in its own column."},
			kindPercent:          {"The cell has a % sign, but this indicator is not a percentage.", "Write the number itself (without %) in the indicator's unit of measure."},
			kindNotNumber:        {"This cell must hold a number.", "Write the number only, without words or units (12, not \"12 million\"); notes go in the Notes column."},
			kindNumberRange:      {"The number is too large to read.", "Check the number."},
			kindEmpty:            {"This cell is empty but must be filled in.", "Fill in the cell (the value, the unit's or indicator's name, or the period)."},
			kindMissingColumn:    {"A required column is missing.", "Use the cluster's form; do not delete or rename columns."},
			kindDuplicateColumn:  {"Two columns give the same thing.", "Keep one column and delete the other."},
			kindUnknownUnit:      {"The unit's name is not recognised.", "Write the unit's name as in the cluster's form (for instance Huyện Pác Nặm) or its code."},
			kindUnknownIndicator: {"The indicator's name is not recognised.", "Keep the indicator names of the cluster's form; do not edit the indicator column."},
			kindAmbiguousName:    {"The name fits several units or indicators.", "Write the full name as in the cluster's form."},
			kindMeasure:          {"The unit of measure differs from the indicator's.", "Convert the values to the form's unit of measure (for instance triệu đồng, ha) and keep the unit column as it was."},
			kindNotInPeriod:      {"This unit did not exist in the period reported.", "Check the period and the unit's name."},
			kindDisagree:         {"The code and the name do not name the same unit (or indicator).", "Make the code and the name agree."},
			kindUnknownBasis:     {"The basis is not clear.", "Write \"trong kỳ\" (the period) or \"lũy kế\" (year to date)."},
			kindOutOfBounds:      {"The number is not valid for this indicator (negative, a fraction of a count, or beyond its limits).", "Check the number: counts are whole and not negative, rates within their limits."},
			kindFuture:           {"The period has not ended yet.", "Check the period (month, quarter, year)."},
			kindNoTarget:         {"This indicator has no annual target.", "Leave its target cell empty."},
			kindConflict:         {"The same figure is given twice with two different values.", "Keep the right value and delete the other."},
			kindTwice:            {"A unit or indicator is given twice.", "Delete the duplicate row (or column)."},
			kindNoData:           {"The file holds no figures.", "Fill in the form and send it again."},
			kindMalformed:        {"The CSV file is malformed (rows of unequal length, a stray quote).", "Open it in Excel and save it, or fill in the cluster's .xlsx form, and send it again."},
			kindPeriod:           {"The period cannot be read.", "Write the period as: Tháng 6/2020, Quý II/2020, 6 tháng đầu năm 2020, Năm 2020."},
			kindPeriodYTD:        {"The indicator's \"Thực hiện\" (period) and \"Lũy kế\" (year to date) values disagree (the period more than the year to date, or a period from January whose two values differ).", "Check both cells: the year to date includes the period; for a period from January (Q1, first half, the year) and for an indicator counted at the period's end, the two are equal."},
			kindNotThisForm:      {"This form was made for another unit, period (or cluster) than it now says.", "Fill in the form the cluster sent for this unit and period, without changing its unit or period cell; ask the cluster's secretary for another form if needed."},
			kindEmptyForm:        {"The form has no figures (the Thực hiện, Lũy kế and Kế hoạch năm columns are all empty).", "Fill in the form and send it again."},
			kindNoTable:          {"No table laid out like the cluster's form was found (an indicator or unit column, and a Kế hoạch năm, Thực hiện or Lũy kế column).", "Use the cluster's form without deleting, renaming or moving its columns, and send it again."},
			kindFormPeriod:       {"The form has no single reporting period (no period line, an empty one, or two different periods).", "Add one line \"Kỳ báo cáo: 6 tháng đầu năm 2020\" above the table, for the period the cluster asked for, and keep every value column to that period."},
			kindFormUnit:         {"The form has no single reporting unit (no unit line, an empty one, or two different units).", "Add one line \"Đơn vị báo cáo: Huyện Pác Nặm\" above the table, with your unit's name."},
			kindBelowSignature:   {"A row of figures is below the signature block.", "Move the row up into the table, above the signatures, and send the file again."},
			kindNoName:           {"A row has figures but no indicator (or unit) name.", "Write the name as in the cluster's form, or delete the stray figures."},
			kindNoHeader:         {"A number is in a column without a heading.", "Head the column (Kế hoạch năm, Thực hiện, Lũy kế) or delete the stray number."},
			kindOther:            {"There is a problem here.", "See the technical detail at the end, or ask the cluster's secretary."},
		},
		Header: func(file string, n int) string {
			return fmt.Sprintf("The file %q was not accepted: it has %d problem(s). Please correct them and send the whole file again.", file, n)
		},
		Whole:   "The whole file",
		Sheet:   func(s string) string { return fmt.Sprintf("Sheet %q", s) },
		Cell:    func(s, c string) string { return fmt.Sprintf("Cell %s (sheet %q)", c, s) },
		Line:    lineWords("Line %d", "column %q"),
		Quoted:  func(t string) string { return fmt.Sprintf("The cell holds: %q.", t) },
		Do:      "What to do:",
		Details: "Technical detail (for the cluster's secretary):",
	},
}

func lineWords(line, column string) func(int, string) string {
	return func(l int, c string) string {
		var parts []string
		if l > 0 {
			parts = append(parts, fmt.Sprintf(line, l))
		}
		if c != "" {
			parts = append(parts, fmt.Sprintf(column, c))
		}
		return strings.Join(parts, ", ")
	}
}

// words returns the table of lang, Vietnamese for any language without
// one.
func words(lang string) officeLang {
	if w, ok := officeWords[lang]; ok {
		return w
	}
	return officeWords["vi"]
}

// where names the place of a problem for the office.
func (w officeLang) where(p thidua.Pos) string {
	switch {
	case p.Sheet != "" && p.Cell != "":
		return w.Cell(p.Sheet, p.Cell)
	case p.Sheet != "":
		return w.Sheet(p.Sheet)
	case p.Line > 0 || p.Column != "":
		return w.Line(p.Line, p.Column)
	}
	return w.Whole
}

// quoted returns the cell text a cause keeps, if any.
func quoted(err error) string {
	var ne *NumberError
	if errors.As(err, &ne) && ne.Text != "" {
		return ne.Text
	}
	var pe *thidua.PeriodError
	if errors.As(err, &pe) && pe.Text != "" {
		return pe.Text
	}
	return ""
}

// officeMessage returns what the office is told about one problem, in
// lang (vi or en): where, what is wrong, what to do. It reads the
// problem's cause, never its text.
func officeMessage(p thidua.Problem, lang string) (where, what, do string) {
	w := words(lang)
	m := w.Kinds[kindOf(p.Err)]
	what = m.What
	if q := quoted(p.Err); q != "" {
		what += " " + w.Quoted(q)
	}
	return w.where(p.Pos), what, m.Do
}

// OfficeReport is the text of NAME.errors.txt for the office that sent a
// refused file: a header naming the file, each problem numbered with where,
// what and what to do, in lang (vi or en); then the technical detail (the
// FileError's lines) for the cluster's secretary.
func OfficeReport(fe *FileError, lang string) string {
	w := words(lang)
	var b strings.Builder
	b.WriteString(w.Header(filepath.Base(fe.File), len(fe.Problems)))
	b.WriteString("\n\n")
	for i, p := range fe.Problems {
		where, what, do := officeMessage(p, lang)
		fmt.Fprintf(&b, "%d. %s: %s\n   %s %s\n", i+1, where, what, w.Do, do)
	}
	b.WriteString("\n")
	b.WriteString(w.Details)
	b.WriteString("\n")
	b.WriteString(fe.Error())
	b.WriteString("\n")
	return b.String()
}
