/**
 * The pages' only script, served at /ui/assets/app.js. Everything works without it; it makes
 * the version picker stop at two and the changed-only toggle act without a reload.
 */
export const appJs = String.raw`
document.documentElement.classList.add('js');

function setUpComparePicker(form) {
  const boxes = Array.from(form.querySelectorAll('input[type=checkbox][name=v]'));
  const button = form.querySelector('[data-compare-submit]');
  const status = form.querySelector('[data-picker-status]');
  function update() {
    const picked = boxes.filter((box) => box.checked);
    for (const box of boxes) box.disabled = !box.checked && picked.length >= 2;
    if (button) button.disabled = picked.length !== 2;
    if (status) {
      status.textContent = picked.length === 2
        ? 'Versions ' + picked.map((box) => box.value).sort((a, b) => a - b).join(' and ') + ' selected.'
        : picked.length + ' of 2 versions selected.';
    }
  }
  form.addEventListener('change', update);
  update();
}

function setUpChangedOnly(toggle) {
  const region = document.querySelector('[data-compare]');
  const status = document.querySelector('[data-compare-status]');
  if (!region) return;
  toggle.addEventListener('change', () => {
    region.classList.toggle('changed-only', toggle.checked);
    const url = new URL(window.location.href);
    if (toggle.checked) url.searchParams.set('changed', '1'); else url.searchParams.delete('changed');
    window.history.replaceState(null, '', url);
    for (const link of document.querySelectorAll('a[data-keep-changed]')) {
      const target = new URL(link.href);
      if (toggle.checked) target.searchParams.set('changed', '1'); else target.searchParams.delete('changed');
      link.href = target.toString();
    }
    if (status) status.textContent = toggle.checked ? 'Showing changed lines only.' : 'Showing all lines.';
  });
}

for (const form of document.querySelectorAll('form[data-compare-picker]')) setUpComparePicker(form);
const changedOnly = document.getElementById('changed-only');
if (changedOnly) setUpChangedOnly(changedOnly);
`;
