import { SHORTCUTS } from "./shortcuts";

/** The keyboard-shortcut panel `?` opens. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <div className="shortcuts-backdrop" onClick={onClose}>
      <div
        className="shortcuts-panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        data-testid="shortcuts-help"
        onClick={(event) => event.stopPropagation()}
      >
        <div className="shortcuts-head">
          <h2 id="shortcuts-title">Keyboard shortcuts</h2>
          <button type="button" className="secondary" onClick={onClose} autoFocus>
            Close
          </button>
        </div>
        <p className="muted small">On a Mac, use ⌘ where it says Ctrl.</p>
        <div className="shortcuts-groups">
          {SHORTCUTS.map((group) => (
            <section key={group.group}>
              <h3>{group.group}</h3>
              <dl>
                {group.items.map((item) => (
                  <div className="shortcut-row" key={item.does}>
                    <dt>
                      {item.keys.map((key, i) => (
                        <span key={key}>
                          {i > 0 && <span className="plus">+</span>}
                          <kbd>{key}</kbd>
                        </span>
                      ))}
                    </dt>
                    <dd>{item.does}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}
