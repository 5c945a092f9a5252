// The template's greeting: the name typed, greeted by the Rust side.
document.getElementById("greet-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = document.getElementById("greet-input").value;
  document.getElementById("greet-msg").textContent = await window.__TAURI__.core.invoke("greet", { name });
});
