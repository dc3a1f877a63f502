// Package report writes the review report a cluster's head signs (báo cáo
// sơ kết / tổng kết) as an editable DOCX, laid out as Decree 30/2020/NĐ-CP,
// Appendix I, sets out for an administrative report: issuing body and
// number top left, national motto and date top right, the title BÁO CÁO
// and its subject, Times New Roman on A4 with the decree's margins, page
// numbers from page 2, the signature block and the "Nơi nhận" list. At
// year end it adds the cluster's award proposal (thidua.Propose).
//
// Every figure comes from the published tables (thidua.Report) and is
// worded by the dashboards' own Wording, so the report says what the site
// says. The package is the project's one user of WordprocessingML.
//
// It writes the XML with the standard library rather than a DOCX library.
// Of the maintained open-source Go libraries, github.com/gomutex/godocx (MIT)
// has no API for header or footer parts or fields, so no page numbers, and
// no tagged release; github.com/fumiama/go-docx is AGPL-3.0; unidoc needs a
// paid licence; baliance.com/gooxml is not served. A report needs only
// paragraphs, tables and section properties, a few hundred lines of XML
// here, while everything else (styles, fonts, the page-number header, the
// page set-up) comes from a DOCX template: the built-in one (template/), or
// the user's own letterhead (Input.Template). Fonts are named, not embedded.
package report
