#pragma once
// The signed container shared by venue packages and session batches:
//   magic (6 bytes) | u16 format version | n × (u32 length | section bytes) | Ed25519 signature
// The signature (with the container's domain prefix) covers every byte before it.

#include "crypto.h"
#include "result.h"

#include <QByteArray>
#include <QList>

namespace pingyi {

struct Container {
    QList<QByteArrayView> sections; ///< views into the input
    QByteArrayView signedBytes; ///< everything the signature covers
    QByteArrayView signature;
};

QByteArray writeContainer(const char magic[6], quint16 version, const QList<QByteArray> &sections,
                          const crypto::SigningKey &key, const char *domain);

/// Splits a container with exactly `sectionCount` sections. Error codes "<what>-format"
/// (wrong magic, truncated, trailing data) and "<what>-version" (unsupported version);
/// `what` is "package" or "batch", `thing` names it for people ("venue package").
Result<Container> readContainer(QByteArrayView bytes, const char magic[6], quint16 version, int sectionCount,
                                const QString &what, const QString &thing);

} // namespace pingyi
