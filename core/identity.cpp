#include "identity.h"

namespace pingyi {

QString identityMethodName(IdentityMethod method)
{
    switch (method) {
    case IdentityMethod::Credential:
        return QStringLiteral("credential");
    case IdentityMethod::IdNumber:
        return QStringLiteral("id_number");
    case IdentityMethod::Face:
        return QStringLiteral("face");
    case IdentityMethod::Override:
        return QStringLiteral("override");
    }
    return {};
}

std::optional<IdentityMethod> identityMethodFromName(const QString &name)
{
    for (IdentityMethod m : allIdentityMethods)
        if (identityMethodName(m) == name)
            return m;
    return std::nullopt;
}

QStringList identityMethodNames()
{
    QStringList names;
    for (IdentityMethod m : allIdentityMethods)
        names << identityMethodName(m);
    return names;
}

QString evidenceSourceName(EvidenceSource source)
{
    switch (source) {
    case EvidenceSource::Keypad:
        return QStringLiteral("keypad");
    case EvidenceSource::Scanner:
        return QStringLiteral("scanner");
    case EvidenceSource::Camera:
        return QStringLiteral("camera");
    case EvidenceSource::Override:
        return QStringLiteral("override");
    }
    return {};
}

std::optional<EvidenceSource> evidenceSourceFromName(const QString &name)
{
    for (EvidenceSource s :
         {EvidenceSource::Keypad, EvidenceSource::Scanner, EvidenceSource::Camera, EvidenceSource::Override})
        if (evidenceSourceName(s) == name)
            return s;
    return std::nullopt;
}

IdentityMethod methodOf(const Evidence &evidence)
{
    struct Visitor {
        IdentityMethod operator()(const CredentialEvidence &) const { return IdentityMethod::Credential; }
        IdentityMethod operator()(const IdNumberEvidence &) const { return IdentityMethod::IdNumber; }
        IdentityMethod operator()(const FaceProbe &) const { return IdentityMethod::Face; }
        IdentityMethod operator()(const OverrideEvidence &) const { return IdentityMethod::Override; }
    };
    return std::visit(Visitor {}, evidence);
}

EvidenceSource sourceOf(const Evidence &evidence)
{
    struct Visitor {
        EvidenceSource operator()(const CredentialEvidence &e) const { return e.source; }
        EvidenceSource operator()(const IdNumberEvidence &e) const { return e.source; }
        EvidenceSource operator()(const FaceProbe &) const { return EvidenceSource::Camera; }
        EvidenceSource operator()(const OverrideEvidence &) const { return EvidenceSource::Override; }
    };
    return std::visit(Visitor {}, evidence);
}

} // namespace pingyi
