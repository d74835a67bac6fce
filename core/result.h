#pragma once
// Errors are values at the boundaries: parsing and verification return a Result that holds
// either the value or an Error with a stable code (for tests and scripts) and a message a
// person can act on (what was wrong, where, what to do).

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace pingyi {

struct Error {
    QString code; ///< stable machine-readable reason, e.g. "signature", "activity"
    QString message; ///< human-readable: what is wrong and what to do

    QString toString() const { return message.isEmpty() ? code : message; }
};

template<typename T> class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::move(value)) { }
    Result(Error error) : m_v(std::move(error)) { }

    bool ok() const { return std::holds_alternative<T>(m_v); }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<T>(m_v); }
    const T &value() const & { return std::get<T>(m_v); }
    // By value for temporaries, so `for (auto &x : *f())` never dangles.
    T value() && { return std::get<T>(std::move(m_v)); }
    T *operator->() { return &std::get<T>(m_v); }
    const T *operator->() const { return &std::get<T>(m_v); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T operator*() && { return std::move(*this).value(); }

    const Error &error() const { return std::get<Error>(m_v); }

private:
    std::variant<T, Error> m_v;
};

/// Result of an operation that produces nothing but can fail.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error error) : m_error(std::move(error)) { }
    template<typename T> static Status from(const Result<T> &r) { return r.ok() ? Status() : Status(r.error()); }

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

inline Error makeError(const QString &code, const QString &message)
{
    return Error {code, message};
}

} // namespace pingyi
