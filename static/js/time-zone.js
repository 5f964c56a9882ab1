// Tell the server the browser's time zone, so times can be shown in it (accounts/timezones.py).
(() => {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && !document.cookie.split("; ").includes(`mc_tz=${zone}`)) {
      document.cookie = `mc_tz=${zone}; path=/; max-age=31536000; SameSite=Lax`;
    }
    // A form may offer the browser's zone as its default (the patient's profile, sign-up).
    document.querySelectorAll("[data-browser-time-zone]").forEach((field) => {
      if (!field.value && [...(field.options || [{ value: zone }])].some((o) => o.value === zone)) {
        field.value = zone;
      }
    });
  } catch (error) {
    // An old browser without Intl: times stay in the doctor's zone.
  }
})();
