// Resident ID numbers read by the camera: generated cards (random valid numbers, and
// numbers printed with a wrong check character) laid in 640×480 frames with random
// distortions → IdCardReader → IdNumberConfirmer. Each card gives its own number or no
// number; a wrong number is never accepted, and a card printed with a wrong check
// character never gives one. Prints the read rates. Also GB 11643 and the confirmer.

#include "idcardreader.h"
#include "roster.h"
#include "synth.h"

#include <QElapsedTimer>
#include <QTest>

#include <cstdio>

using namespace pingyi;
using namespace pingyi::vision;
using Kind = IdLineRead::Kind;

class TestIdCard : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void checkDigit()
    {
        // GB 11643 examples worked by hand: S mod 11 → "10X98765432".
        QCOMPARE(idnumber::checkCharacter(u"11010519491231002"), QChar(u'X'));
        QCOMPARE(idnumber::checkCharacter(u"44052418800101001"), QChar(u'4'));
        QVERIFY(idnumber::isValid(QStringLiteral("11010519491231002X")));
        QVERIFY(!idnumber::isValid(QStringLiteral("110105194912310021")));
        QVERIFY(!idnumber::isValid(QStringLiteral("11010519491231002x"))); // upper-case X only
        std::mt19937_64 rng(5);
        for (int i = 0; i < 2000; ++i) {
            const QString n = synth::randomIdNumber(rng);
            QVERIFY2(idnumber::isValid(n), "generated numbers are valid");
            QVERIFY2(!idnumber::isValid(synth::withWrongCheckCharacter(n, rng)), "a wrong check character is caught");
            // Any one character misread is caught by the check character.
            QString m = n;
            const int at = int(rng() % 17);
            m[at] = QChar(u'0' + (m[at].digitValue() + 1 + int(rng() % 9)) % 10);
            QVERIFY(!idnumber::isValid(m));
        }
    }

    void confirmer()
    {
        IdNumberConfirmer c(3);
        const IdLineRead a {Kind::Number, QStringLiteral("11010519491231002X")};
        const IdLineRead b {Kind::Number, QStringLiteral("440524188001010014")};
        const IdLineRead card {Kind::CardOnly, {}};
        QCOMPARE(c.feed(a), std::nullopt);
        QCOMPARE(c.feed(a), std::nullopt);
        QCOMPARE(c.feed(a), a.number); // the third agreeing frame
        QCOMPARE(c.feed(a), std::nullopt); // once per streak
        QCOMPARE(c.feed(card), std::nullopt); // a frame without a number starts again
        QCOMPARE(c.feed(a), std::nullopt);
        QCOMPARE(c.feed(b), std::nullopt); // another number starts again
        QCOMPARE(c.feed(a), std::nullopt);
        QCOMPARE(c.feed(a), std::nullopt);
        QCOMPARE(c.feed(a), a.number);
        c.reset();
        QCOMPARE(c.feed(a), std::nullopt);
        IdNumberConfirmer one(1);
        QCOMPARE(one.feed(b), b.number);
    }

    void noCard()
    {
        IdCardReader reader;
        QVERIFY2(reader.ready(), qPrintable(reader.why()));
        QCOMPARE(reader.read(cv::Mat()).kind, Kind::NoCard);
        for (quint64 s = 1; s <= 4; ++s)
            QCOMPARE(reader.read(synth::emptyTable(s)).kind, Kind::NoCard);
        // An invitation card is card-shaped, but its code is no number.
        for (quint64 s = 1; s <= 4; ++s) {
            const QImage invitation
                = synth::renderInvitationCard(QStringLiteral("PY1:%1").arg(QString(150, QChar(u'7'))));
            std::mt19937_64 rng(s);
            QVERIFY(reader.read(synth::placeInFrame(invitation, synth::randomDistortion(rng, 0.5), s)).kind
                    != Kind::Number);
        }
    }

    void missingData()
    {
        IdCardReader reader(QStringLiteral("/nonexistent/tessdata"));
        QVERIFY(!reader.ready());
        QVERIFY(reader.why().contains(QStringLiteral("eng.traineddata")));
        // Without OCR a card is still seen, and never gives a number.
        std::mt19937_64 rng(1);
        const QImage card = synth::renderIdCard(synth::randomFace(synth::randomIdNumber(rng), rng));
        QCOMPARE(reader.read(synth::placeInFrame(card, {}, 1)).kind, Kind::CardOnly);
    }

    void generatedCards()
    {
        // Every card is seen in one frame (single-frame reads, each filtered by its check
        // character); one card in six is held for three frames and must be confirmed by
        // IdNumberConfirmer, as the kiosk does. About 100 ms per reading keeps this under a
        // minute.
        IdCardReader reader;
        QVERIFY2(reader.ready(), qPrintable(reader.why()));
        const int cards = qEnvironmentVariableIntValue("PINGYI_IDCARD_CARDS") > 0
            ? qEnvironmentVariableIntValue("PINGYI_IDCARD_CARDS")
            : 500;
        std::mt19937_64 rng(20261206);
        int valid = 0, wrongPrinted = 0, found = 0, frames = 0;
        int singleRight = 0, singleWrong = 0, fromWrongPrinted = 0, mildValid = 0, mildRight = 0;
        int heldValid = 0, confirmedRight = 0, confirmedWrong = 0;
        double readMs = 0, worstMs = 0;
        QElapsedTimer t;
        for (int i = 0; i < cards; ++i) {
            const bool printedWrong = i % 5 == 4; // one card in five carries a wrong check character
            const QString good = synth::randomIdNumber(rng);
            const QString printed = printedWrong ? synth::withWrongCheckCharacter(good, rng) : good;
            printedWrong ? ++wrongPrinted : ++valid;
            const QImage card = synth::renderIdCard(synth::randomFace(printed, rng));
            // Six cards in ten mildly distorted, the rest anywhere up to the hard end.
            const bool mild = i % 10 < 6;
            synth::Distortion d = synth::randomDistortion(rng, mild ? 0.4 : 1.0);
            if (i % 2)
                d.rotation += 180; // laid upside down
            const bool held = i % 6 == 0; // wrong-printed cards among them
            IdNumberConfirmer confirmer(3);
            std::optional<QString> confirmed;
            for (int f = 0; f < (held ? 3 : 1); ++f) {
                synth::Distortion df = d;
                df.offset += QPointF(double(rng() % 7) - 3, double(rng() % 7) - 3); // a hand's tremor
                df.rotation += double(rng() % 3) - 1;
                const cv::Mat frame = synth::placeInFrame(card, df, rng());
                t.start();
                const IdLineRead r = reader.read(frame);
                const double ms = double(t.nsecsElapsed()) / 1e6;
                readMs += ms;
                worstMs = std::max(worstMs, ms);
                ++frames;
                if (f == 0) {
                    found += r.kind != Kind::NoCard;
                    if (r.kind == Kind::Number) {
                        const bool right = r.number == good && !printedWrong;
                        right ? ++singleRight : ++singleWrong;
                        fromWrongPrinted += printedWrong;
                        if (mild && right)
                            ++mildRight;
                    }
                    if (mild && !printedWrong)
                        ++mildValid;
                }
                if (auto n = confirmer.feed(r))
                    confirmed = n;
            }
            if (held && !printedWrong)
                ++heldValid;
            if (confirmed)
                (*confirmed == good && !printedWrong) ? ++confirmedRight : ++confirmedWrong;
        }
        std::printf("  ID cards: %d (%d valid, %d printed with a wrong check character); %d frames, %.1f ms per "
                    "reading (worst %.1f)\n",
                    cards, valid, wrongPrinted, frames, readMs / frames, worstMs);
        std::printf("  card found: %.1f %%\n", 100.0 * found / cards);
        std::printf("  single frame: right number for %.1f %% of valid cards (%.1f %% of mildly distorted ones); "
                    "%d wrong numbers; %d numbers from wrong-printed cards\n",
                    100.0 * singleRight / valid, 100.0 * mildRight / std::max(1, mildValid), singleWrong,
                    fromWrongPrinted);
        std::printf("  held for 3 frames: confirmed right %.1f %% of %d valid cards; %d wrong confirmed\n",
                    100.0 * confirmedRight / std::max(1, heldValid), heldValid, confirmedWrong);
        QCOMPARE(singleWrong, 0);
        QCOMPARE(fromWrongPrinted, 0);
        QCOMPARE(confirmedWrong, 0);
        QVERIFY2(found >= cards * 0.98, "a card on the table is found");
        QVERIFY2(mildRight >= mildValid * 0.9, "mildly distorted cards should be read in one frame");
        QVERIFY2(confirmedRight >= heldValid * 0.75, "a card held still should be confirmed");
    }

    void hardCards()
    {
        // A stress test beyond real cards: numbers in a font whose dotted zero blurs into
        // 6 or 8, at the hard end of the distortions, each card held for three frames. A
        // single frame may be wrong in rare cases (the check character and the second
        // reading catch most); a confirmed number never may.
        IdCardReader reader;
        QVERIFY2(reader.ready(), qPrintable(reader.why()));
        const int cards = qEnvironmentVariableIntValue("PINGYI_IDCARD_HARD") > 0
            ? qEnvironmentVariableIntValue("PINGYI_IDCARD_HARD")
            : 60;
        std::mt19937_64 rng(77);
        int valid = 0, frameNumbers = 0, frameWrong = 0, confirmedRight = 0, confirmedWrong = 0;
        for (int i = 0; i < cards; ++i) {
            const bool printedWrong = i % 3 == 2;
            const QString good = synth::randomIdNumber(rng);
            synth::IdCardFace face
                = synth::randomFace(printedWrong ? synth::withWrongCheckCharacter(good, rng) : good, rng);
            face.dottedZeros = true;
            const QImage card = synth::renderIdCard(face);
            synth::Distortion d = synth::randomDistortion(rng, 1.0);
            d.blur = std::max(d.blur, 1.0);
            valid += !printedWrong;
            IdNumberConfirmer confirmer(3);
            for (int f = 0; f < 3; ++f) {
                synth::Distortion df = d;
                df.offset += QPointF(double(rng() % 7) - 3, double(rng() % 7) - 3);
                const IdLineRead r = reader.read(synth::placeInFrame(card, df, rng()));
                if (r.kind == Kind::Number) {
                    ++frameNumbers;
                    frameWrong += r.number != good || printedWrong;
                }
                if (auto n = confirmer.feed(r))
                    (*n == good && !printedWrong) ? ++confirmedRight : ++confirmedWrong;
            }
        }
        std::printf("  hard cards (dotted zeros, blurred, 3 frames each): %d; confirmed right %.1f %% of valid ones, "
                    "%d wrong confirmed; single frames: %d numbers, %d wrong\n",
                    cards, 100.0 * confirmedRight / std::max(1, valid), confirmedWrong, frameNumbers, frameWrong);
        QCOMPARE(confirmedWrong, 0);
    }
};

QTEST_MAIN(TestIdCard)
#include "test_idcard.moc"
