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

QString idNumberSourceName(IdNumberSource source)
{
    switch (source) {
    case IdNumberSource::Keypad:
        return QStringLiteral("keypad");
    case IdNumberSource::Scanner:
        return QStringLiteral("scanner");
    case IdNumberSource::Ocr:
        return QStringLiteral("ocr");
    }
    return {};
}

std::optional<IdNumberSource> idNumberSourceFromName(const QString &name)
{
    for (IdNumberSource s : {IdNumberSource::Keypad, IdNumberSource::Scanner, IdNumberSource::Ocr})
        if (idNumberSourceName(s) == name)
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

} // namespace pingyi
