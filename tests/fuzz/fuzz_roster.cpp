// The roster CSV reader (readCsvRows, then parseRoster against the demo activity), as
// `pingyi-hq roster import` runs it. Invariant: rows that read back written with csvField
// read back to the same fields.
#include "fuzzcommon.h"
#include "roster.h"

using namespace pingyi;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQt();
    (void)fuzz::demoActivity();
    return 0;
}

namespace {
QList<QStringList> nonBlank(const QList<CsvRow> &rows)
{
    QList<QStringList> out;
    for (const CsvRow &r : rows) {
        bool blank = true;
        for (const QString &f : r.fields)
            blank = blank && f.isEmpty();
        if (!blank)
            out.append(r.fields);
    }
    return out;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray csv(reinterpret_cast<const char *>(data), qsizetype(size));
    auto rows = readCsvRows(csv, QStringLiteral("fuzz.csv"));
    if (rows) {
        QByteArray written;
        for (const CsvRow &r : *rows) {
            QByteArrayList fields;
            for (const QString &f : r.fields)
                fields << csvField(f);
            written += fields.join(',') + "\r\n";
        }
        auto again = readCsvRows(written, QStringLiteral("fuzz rewritten.csv"));
        FUZZ_CHECK(again.ok());
        FUZZ_CHECK(nonBlank(*again) == nonBlank(*rows));
    } else {
        FUZZ_CHECK(rows.error().code == QLatin1String("csv-invalid"));
    }
    auto roster = parseRoster(csv, fuzz::demoActivity(), QStringLiteral("fuzz.csv"));
    if (!roster)
        FUZZ_CHECK(!roster.error().message.isEmpty());
    return 0;
}
