/**
 * Form fields of the console, as Lit templates: a visible label, an optional
 * hint, and the error the server gave for this field right under it, tied to
 * the control by `aria-describedby` and `aria-invalid`.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';

interface FieldBase {
  /** Unique within the element's shadow root. */
  id: string;
  label: string;
  hint?: string | undefined;
  /** The server's message for this field, if it refused it. */
  error?: string | undefined;
  required?: boolean;
  disabled?: boolean;
}

export interface TextFieldOptions extends FieldBase {
  value: string;
  type?: 'text' | 'password' | 'number' | 'datetime-local' | 'url' | 'search';
  autocomplete?: string;
  inputmode?: string;
  min?: number;
  max?: number;
  maxlength?: number;
  minlength?: number;
  onInput: (value: string) => void;
}

export interface TextAreaOptions extends FieldBase {
  value: string;
  rows?: number;
  maxlength?: number;
  onInput: (value: string, target: HTMLTextAreaElement) => void;
}

function describedBy(field: FieldBase): string | undefined {
  const ids = [field.hint ? `${field.id}-hint` : '', field.error ? `${field.id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function hintAndError(field: FieldBase): TemplateResult {
  return html`${field.hint ? html`<p class="hint" id="${field.id}-hint">${field.hint}</p>` : nothing}
    <p class="field-error" id="${field.id}-error">${field.error ?? ''}</p>`;
}

export function textField(field: TextFieldOptions): TemplateResult {
  return html`<div class="field">
    <label for=${field.id}>${field.label}</label>
    <input
      id=${field.id}
      name=${field.id}
      type=${field.type ?? 'text'}
      .value=${live(field.value)}
      autocomplete=${ifDefined(field.autocomplete)}
      inputmode=${ifDefined(field.inputmode)}
      min=${ifDefined(field.min)}
      max=${ifDefined(field.max)}
      maxlength=${ifDefined(field.maxlength)}
      minlength=${ifDefined(field.minlength)}
      ?required=${field.required ?? false}
      ?disabled=${field.disabled ?? false}
      aria-invalid=${field.error ? 'true' : 'false'}
      aria-describedby=${ifDefined(describedBy(field))}
      @input=${(event: Event) => field.onInput((event.target as HTMLInputElement).value)}
    />
    ${hintAndError(field)}
  </div>`;
}

export function textArea(field: TextAreaOptions): TemplateResult {
  return html`<div class="field">
    <label for=${field.id}>${field.label}</label>
    <textarea
      id=${field.id}
      name=${field.id}
      rows=${field.rows ?? 4}
      .value=${live(field.value)}
      maxlength=${ifDefined(field.maxlength)}
      ?required=${field.required ?? false}
      ?disabled=${field.disabled ?? false}
      aria-invalid=${field.error ? 'true' : 'false'}
      aria-describedby=${ifDefined(describedBy(field))}
      @input=${(event: Event) => {
        const target = event.target as HTMLTextAreaElement;
        field.onInput(target.value, target);
      }}
    ></textarea>
    ${hintAndError(field)}
  </div>`;
}

export interface CheckboxOptions extends FieldBase {
  checked: boolean;
  onChange: (checked: boolean) => void;
}

export function checkbox(field: CheckboxOptions): TemplateResult {
  return html`<div class="field">
    <label class="choice">
      <input
        id=${field.id}
        name=${field.id}
        type="checkbox"
        .checked=${live(field.checked)}
        ?disabled=${field.disabled ?? false}
        aria-invalid=${field.error ? 'true' : 'false'}
        aria-describedby=${ifDefined(describedBy(field))}
        @change=${(event: Event) => field.onChange((event.target as HTMLInputElement).checked)}
      />
      <span>${field.label}</span>
    </label>
    ${hintAndError(field)}
  </div>`;
}

export interface RadioGroupOptions<T extends string> extends FieldBase {
  value: T;
  choices: { value: T; label: string; hint?: string }[];
  onChange: (value: T) => void;
}

export function radioGroup<T extends string>(field: RadioGroupOptions<T>): TemplateResult {
  return html`<fieldset
    id=${field.id}
    tabindex="-1"
    aria-invalid=${field.error ? 'true' : 'false'}
    aria-describedby=${ifDefined(describedBy(field))}
  >
    <legend>${field.label}</legend>
    ${field.choices.map(
      (choice) => html`<label class="choice">
        <input
          type="radio"
          name=${field.id}
          .value=${choice.value}
          .checked=${live(field.value === choice.value)}
          ?disabled=${field.disabled ?? false}
          @change=${() => field.onChange(choice.value)}
        />
        <span>${choice.label}${choice.hint ? html`<br /><span class="hint">${choice.hint}</span>` : nothing}</span>
      </label>`,
    )}
    ${hintAndError(field)}
  </fieldset>`;
}

/** Focuses the first control marked invalid in `root` (after the server refused a field). */
export function focusFirstInvalid(root: ParentNode): void {
  root.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
