"""Interoperability: FHIR R4 read endpoints under /fhir/ (CapabilityStatement,
Practitioner, Schedule, Slot, Appointment, Patient and Patient/$everything).

The package is not called `fhir` because that name belongs to the namespace of
the fhir.resources library.
"""
