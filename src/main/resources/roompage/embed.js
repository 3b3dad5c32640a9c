/*
 * <parlor-embed room="https://parlor.example.com/room-name?roomKey=..." displayname="Ada"></parlor-embed>
 * Attributes are the room URL parameters; the room's postMessage events are re-dispatched as DOM
 * events of the same names (event.detail is the payload). Methods send commands to the room.
 */
(() => {
  'use strict';
  if (customElements.get('parlor-embed')) return;
  const PARAMS = {
    roomkey: 'roomKey', displayname: 'displayName', externalid: 'externalId', metadata: 'metadata',
    audio: 'audio', video: 'video', minimal: 'minimal', embed: 'embed',
    skipmediapermissionprompt: 'skipMediaPermissionPrompt', chat: 'chat', people: 'people',
    screenshare: 'screenshare', leavebutton: 'leaveButton', locking: 'locking', logo: 'logo',
    background: 'background', lowres: 'lowres',
  };
  const EVENTS = ['ready', 'join', 'leave', 'participant_join', 'participant_leave', 'knock',
    'microphone_toggle', 'camera_toggle', 'screenshare_toggle', 'participantupdate'];

  class ParlorEmbed extends HTMLElement {
    static get observedAttributes() { return ['room', ...Object.keys(PARAMS)]; }

    constructor() {
      super();
      this.attachShadow({ mode: 'open' });
      this.onMessage = this.onMessage.bind(this);
    }

    connectedCallback() {
      window.addEventListener('message', this.onMessage);
      this.render();
    }

    disconnectedCallback() {
      window.removeEventListener('message', this.onMessage);
    }

    attributeChangedCallback() {
      if (this.isConnected) this.render();
    }

    roomUrl() {
      const room = this.getAttribute('room');
      if (!room) return null;
      const url = new URL(room, document.baseURI);
      for (const [attr, param] of Object.entries(PARAMS)) {
        if (this.hasAttribute(attr)) url.searchParams.set(param, this.getAttribute(attr));
      }
      return url;
    }

    render() {
      const url = this.roomUrl();
      if (!url) return;
      let frame = this.shadowRoot.querySelector('iframe');
      if (frame && frame.src === url.href) return;
      if (!frame) {
        const style = document.createElement('style');
        style.textContent = ':host{display:block;width:100%;height:100%;min-height:360px}iframe{border:0;width:100%;height:100%}';
        frame = document.createElement('iframe');
        frame.allow = 'camera; microphone; fullscreen; display-capture; autoplay';
        frame.title = 'Video room';
        this.shadowRoot.append(style, frame);
      }
      this.origin = url.origin;
      frame.src = url.href;
    }

    onMessage(ev) {
      const frame = this.shadowRoot.querySelector('iframe');
      if (!frame || ev.source !== frame.contentWindow || ev.origin !== this.origin) return;
      const data = ev.data || {};
      if (typeof data.type !== 'string' || !EVENTS.includes(data.type)) return;
      this.dispatchEvent(new CustomEvent(data.type, { detail: data.payload || {}, bubbles: true, composed: true }));
    }

    command(command, args) {
      const frame = this.shadowRoot.querySelector('iframe');
      if (frame && frame.contentWindow) frame.contentWindow.postMessage({ command, args: args || {} }, this.origin);
    }

    toggleCamera(enabled) { this.command('toggle_camera', enabled === undefined ? {} : { enabled }); }
    toggleMicrophone(enabled) { this.command('toggle_microphone', enabled === undefined ? {} : { enabled }); }
    toggleScreenshare() { this.command('toggle_screenshare'); }
    leaveRoom() { this.command('leave_room'); }
    knock() { this.command('knock'); }
    endMeeting() { this.command('end_meeting'); }
  }
  customElements.define('parlor-embed', ParlorEmbed);
})();
