// Userdeck embed loader (dist/embed.js). A partner portal writes
//   <script src="https://userdeck.example.com/admin/embed.js" async></script>
//   <userdeck-embed provider="rebilly" theme="dark"></userdeck-embed>
// and gets the console's /embed/p/rebilly view in an iframe. The element relays the protocol:
// the frame's `ready`, `resize` and `user-opened` messages become DOM events
// (`userdeck-ready`, `userdeck-resize`, `userdeck-user-opened`, detail = the message), `resize`
// also sets the frame's height, and `setTheme(theme, properties)` / `setToken(token)` post to the
// frame, only to the console's origin. Messages from anywhere but the frame are ignored.
(() => {
  const script = document.currentScript;
  const consoleBase = new URL('./', script ? script.src : location.href).href;
  const consoleOrigin = new URL(consoleBase).origin;

  class UserdeckEmbed extends HTMLElement {
    static get observedAttributes() {
      return ['theme'];
    }

    connectedCallback() {
      if (this.frame) return;
      const provider = this.getAttribute('provider') || '';
      const frame = document.createElement('iframe');
      frame.src = consoleBase + 'embed/p/' + encodeURIComponent(provider);
      frame.title = this.getAttribute('title') || 'Userdeck: ' + provider + ' users';
      frame.style.cssText = 'border:0;width:100%;height:480px;display:block';
      this.frame = frame;
      this.ready = false;
      this.pending = [];
      this.onMessage = (event) => {
        if (event.source !== frame.contentWindow || event.origin !== consoleOrigin) return;
        const data = event.data || {};
        if (data.type === 'ready') {
          this.ready = true;
          this.sendThemeAttribute();
          this.pending.splice(0).forEach((message) => this.post(message));
        } else if (data.type === 'resize') {
          if (!Number.isFinite(data.height)) return;
          frame.style.height = Math.max(160, Math.ceil(data.height)) + 'px';
        } else if (data.type !== 'user-opened') {
          return;
        }
        this.dispatchEvent(new CustomEvent('userdeck-' + data.type, { detail: data, bubbles: true }));
      };
      window.addEventListener('message', this.onMessage);
      this.appendChild(frame);
    }

    disconnectedCallback() {
      window.removeEventListener('message', this.onMessage);
      if (this.frame) this.frame.remove();
      this.frame = null;
    }

    attributeChangedCallback() {
      if (this.ready) this.sendThemeAttribute();
    }

    post(message) {
      if (!this.ready || !this.frame) {
        this.pending.push(message);
        return;
      }
      this.frame.contentWindow.postMessage(message, consoleOrigin);
    }

    /** `theme` is "light" or "dark"; `properties` maps allowed CSS custom properties to values. */
    setTheme(theme, properties) {
      this.post({ type: 'theme', theme, properties: properties || {} });
    }

    /** Signs the frame in to a Userdeck proxy that has admin sign-in on. */
    setToken(token) {
      this.post({ type: 'token', token });
    }

    sendThemeAttribute() {
      const theme = this.getAttribute('theme');
      if (theme === 'light' || theme === 'dark') this.post({ type: 'theme', theme });
    }
  }

  if (!customElements.get('userdeck-embed')) customElements.define('userdeck-embed', UserdeckEmbed);
})();
