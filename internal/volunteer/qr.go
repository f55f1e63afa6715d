package volunteer

import (
	"encoding/base64"
	"fmt"
	"html/template"

	qrcode "github.com/skip2/go-qrcode"
)

// qrSize is the side of generated QR images in pixels: sharp when printed
// on A4 and when scanned from a kiosk screen.
const qrSize = 320

// QRPNG draws content (an address) as a PNG QR code with medium error
// correction, which survives a smudged printout or a glare on a screen.
func QRPNG(content string) ([]byte, error) {
	png, err := qrcode.Encode(content, qrcode.Medium, qrSize)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	return png, nil
}

// QRDataURI is QRPNG as a data: address for an <img> (the CSP allows
// img-src data:), for pages that should not need a second request.
func QRDataURI(content string) (template.URL, error) {
	png, err := QRPNG(content)
	if err != nil {
		return "", err
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil
}
