// Optional location from the phone: fills the hidden fields; the visit saves without it.
(() => {
  const button = document.getElementById("locate");
  if (!button || !navigator.geolocation) return;
  const status = document.getElementById("locate-status");
  button.classList.remove("d-none");
  button.addEventListener("click", () => {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        document.getElementById("id_lat").value = pos.coords.latitude.toFixed(6);
        document.getElementById("id_lon").value = pos.coords.longitude.toFixed(6);
        document.getElementById("id_accuracy_m").value = Math.round(pos.coords.accuracy);
        status.textContent = status.dataset.ok.replace("%s", Math.round(pos.coords.accuracy));
        button.disabled = false;
      },
      () => {
        status.textContent = status.dataset.fail;
        button.disabled = false;
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 },
    );
  });
})();
