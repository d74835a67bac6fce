#pragma once
// `pingyi-kiosk setup …`: the technician's provisioning steps from a console, without the
// touchscreen (docs/kiosk.md §Installing a kiosk): status, enrolment request, certificate,
// venue package.

namespace pingyi::kiosk {

/// True when argv asks for the setup commands (`pingyi-kiosk setup …`).
bool isSetupCommand(int argc, char **argv);
/// Runs them; returns the process exit status (0 done, 1 refused, 2 usage).
int runSetup(int argc, char **argv);

} // namespace pingyi::kiosk
