#pragma once
// A signed JSON document: the body's exact bytes are carried base64-encoded, so the
// signature is checked over what was signed — never over a re-encoding.
// {"format":"pingyi-signed/v1","domain":…,"signer":<fingerprint>,"body":<b64>,"signature":<b64>}

#include "crypto.h"
#include "result.h"

#include <QByteArray>
#include <QJsonObject>

namespace pingyi {

struct SignedDocument {
    QByteArray body; ///< exact signed bytes (compact JSON)
    QJsonObject bodyObject; ///< parsed body
    QByteArray signature;
    QString domain;
    QByteArray signerPublicKey; ///< the key the signature verified with

    /// The document exactly as sign() writes it: the same signed body and signature, in the
    /// issuing layout, whatever white space, key order or extra envelope keys the bytes it
    /// was opened from had. Equal for every variant of one document, so it is what to store.
    QByteArray canonical() const;

    static QByteArray sign(const crypto::SigningKey &key, const char *domain, const QJsonObject &body);
    /// Parses and verifies with `publicKey`. When `publicKey` is empty the key is taken from
    /// the body's "sign_pk" field (self-signed requests). Error codes: `<what>-format`,
    /// `<what>-signature`.
    static Result<SignedDocument> open(QByteArrayView bytes, const char *domain, QByteArrayView publicKey,
                                       const QString &what);
};

} // namespace pingyi
