// A small menu button: role=menu with menuitems, arrow keys move, Esc closes and returns focus. Its owner may open
// it too (a row's context menu), by holding the open state.
import { useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent, ReactElement, ReactNode } from 'react';

export interface MenuItem {
  label: string;
  onSelect: () => void;
  danger?: boolean;
  disabled?: boolean;
}

export interface MenuButtonProps {
  label: string;
  items: MenuItem[];
  children: ReactNode;
  className?: string;
  /** Open from outside too (a row's context menu): the owner keeps the state. */
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
}

export function MenuButton({ label, items, children, className, open: openProp, onOpenChange }: MenuButtonProps): ReactElement {
  const [openState, setOpenState] = useState(false);
  const open = openProp ?? openState;
  const setOpen = (next: boolean | ((was: boolean) => boolean)): void => {
    const value = typeof next === 'function' ? next(open) : next;
    setOpenState(value);
    onOpenChange?.(value);
  };
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus();
    const onDown = (e: MouseEvent): void => {
      if (!menuRef.current?.contains(e.target as Node) && !buttonRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const close = (): void => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent): void => moveInMenu(e, menuRef.current, close, () => setOpen(false));

  return (
    <div className={`dl-menu-wrap${className ? ` ${className}` : ''}`}>
      <button
        ref={buttonRef}
        type="button"
        className="dl-icon-button"
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        {children}
      </button>
      {open ? (
        <ul ref={menuRef} id={id} role="menu" aria-label={label} className="dl-menu" onKeyDown={onKeyDown}>
          {items.map((item) => (
            <MenuEntry
              key={item.label}
              item={item}
              onChosen={() => {
                setOpen(false);
                item.onSelect();
              }}
            />
          ))}
        </ul>
      ) : null}
    </div>
  );
}

// Arrow keys move between the items, Esc closes and gives focus back to the button, Tab leaves the menu.
function moveInMenu(e: KeyboardEvent, menu: HTMLUListElement | null, close: () => void, dismiss: () => void): void {
  const items = [...(menu?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  const i = items.indexOf(document.activeElement as HTMLElement);
  if (e.key === 'Escape') {
    e.stopPropagation();
    e.preventDefault();
    close();
  } else if (e.key === 'ArrowDown') {
    e.preventDefault();
    e.stopPropagation();
    items[(i + 1) % items.length]?.focus();
  } else if (e.key === 'ArrowUp') {
    e.preventDefault();
    e.stopPropagation();
    items[(i - 1 + items.length) % items.length]?.focus();
  } else if (e.key === 'Tab') {
    dismiss();
  }
}

function MenuEntry({ item, onChosen }: { item: MenuItem; onChosen: () => void }): ReactElement {
  return (
    <li
      role="menuitem"
      tabIndex={-1}
      aria-disabled={item.disabled || undefined}
      className={item.danger ? 'dl-menu-danger' : undefined}
      onClick={() => {
        if (!item.disabled) onChosen();
      }}
      onKeyDown={(e) => {
        if ((e.key === 'Enter' || e.key === ' ') && !item.disabled) {
          e.preventDefault();
          onChosen();
        }
      }}
    >
      {item.label}
    </li>
  );
}
